import { statSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from './contracts/operation';
import { DEFAULT_DB } from './milvus/names';
import {
  isHostPort,
  isMilvusAddress,
  loadWorkerFileConfig,
  type NamedClusterConfig,
  type StorageProfileConfig,
  WorkerConfigError,
} from './worker-config-file';
import { configName } from './contracts/input-fields';

/**
 * Configuration from the environment, validated once at start-up. A bad value stops the process
 * with one line naming the variable and the rule; secrets never appear in messages or logs.
 */

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface TemporalTlsFiles {
  /** Client certificate and key for mTLS (always both or neither). */
  clientCertPath?: string;
  clientKeyPath?: string;
  /** CA that signed the server certificate; system roots when absent. */
  caPath?: string;
}

export interface TemporalConfig {
  /** host:port of the Temporal frontend. */
  address: string;
  namespace: string;
  taskQueue: string;
  /** false: plaintext; an object (possibly empty): TLS, with these files when given. */
  tls: false | TemporalTlsFiles;
  /** Temporal Cloud API key. Secret. */
  apiKey?: string;
}

export interface MilvusConfig {
  address: string;
  /** "user:password" or an API key. Secret. */
  token?: string;
  tls: boolean;
  timeoutMs: number;
}

export interface AppConfig {
  temporal: TemporalConfig;
  /** The default (first) cluster: what an input that names no cluster uses. */
  milvus: MilvusConfig;
  /** Every configured cluster by name, the default first (MILVUS_* when set, then the file's). */
  clusters: NamedClusterConfig[];
  /** Named storage profiles for exports (worker-config-file.ts). */
  profiles: StorageProfileConfig[];
  logLevel: LogLevel;
  /** host:port the worker serves Prometheus metrics on (`/metrics`); no endpoint when absent. */
  metricsAddress?: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly rule: string,
  ) {
    super(`${variable}: ${rule}`);
    this.name = 'ConfigError';
  }
}

const SECRET_VARIABLES: ReadonlySet<string> = new Set(['MILVUS_TOKEN', 'TEMPORAL_API_KEY']);
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
/** The name of the cluster MILVUS_* describes, unless MILVUS_CLUSTER_NAME says otherwise. */
export const DEFAULT_CLUSTER_NAME = 'primary';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Unset and empty are the same: container tooling often exports empty variables. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Temporal namespaces allow letters, digits, '.', '-' and '_'. */
const temporalNamespace = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "-" or "_"');
const hostPort = z.string().refine(isHostPort, 'must be host:port (port 1-65535)');
const existingFile = z.string().refine(isFile, 'must name an existing readable file');
const bool = z
  .string()
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => ['true', 'false', '1', '0', 'yes', 'no'].includes(v), 'must be true or false')
  .transform((v) => ['true', '1', 'yes'].includes(v));

const temporalEnvShape = {
  TEMPORAL_ADDRESS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.string('is required (host:port of the Temporal frontend)').pipe(hostPort),
  ),
  TEMPORAL_NAMESPACE: optional(temporalNamespace).default('default'),
  TEMPORAL_TASK_QUEUE: optional(z.string().trim().min(1, 'must not be empty')).default(DEFAULT_TASK_QUEUE),
  TEMPORAL_TLS_CERT_PATH: optional(existingFile),
  TEMPORAL_TLS_KEY_PATH: optional(existingFile),
  TEMPORAL_TLS_CA_PATH: optional(existingFile),
  TEMPORAL_API_KEY: optional(z.string()),
  LOG_LEVEL: optional(
    z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .pipe(z.enum(LOG_LEVELS, `must be one of ${LOG_LEVELS.join(', ')}`)),
  ).default('info'),
};

const milvusEnvShape = {
  /** Required unless the worker configuration file names a cluster. */
  MILVUS_ADDRESS: optional(
    z.string().refine(isMilvusAddress, 'must be host:port, optionally prefixed by http:// or https://'),
  ),
  MILVUS_CLUSTER_NAME: optional(configName).default(DEFAULT_CLUSTER_NAME),
  MILVUS_TOKEN: optional(z.string()),
  // Removed (issue 11): it only set the connection's database, never a workflow's. Every workflow
  // input names its own `db` (default "default"); a value that expects more is refused, not ignored.
  MILVUS_DB: optional(
    z
      .string()
      .refine(
        (v) => v === DEFAULT_DB,
        `is no longer read: each workflow input names its database (db, default "${DEFAULT_DB}"); unset it`,
      ),
  ),
  MILVUS_TLS: optional(bool).default(false),
  MILVUS_TIMEOUT_MS: optional(
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of milliseconds')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 3_600_000, 'must be between 1 and 3600000 milliseconds'),
  ).default(30_000),
  METRICS_ADDRESS: optional(hostPort),
};

/** mTLS needs both halves; one alone is a misconfiguration, not a fallback to one-way TLS. */
function checkTlsPair(
  env: { TEMPORAL_TLS_CERT_PATH?: string; TEMPORAL_TLS_KEY_PATH?: string },
  ctx: z.RefinementCtx,
): void {
  if (Boolean(env.TEMPORAL_TLS_CERT_PATH) === Boolean(env.TEMPORAL_TLS_KEY_PATH)) return;
  const missing = env.TEMPORAL_TLS_CERT_PATH ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH';
  ctx.addIssue({
    code: 'custom',
    path: [missing],
    message: 'must be set together with TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH',
  });
}

const envSchema = z.object({ ...temporalEnvShape, ...milvusEnvShape }).superRefine(checkTlsPair);
/** Clients and the CLI's workflow commands only talk to Temporal: they need no Milvus settings. */
const temporalEnvSchema = z.object(temporalEnvShape).superRefine(checkTlsPair);
/** The CLI's read-only inventory commands (snapshots, restore-jobs) read Milvus directly. */
const milvusEnvSchema = z.object(milvusEnvShape);

type Env = z.infer<typeof envSchema>;

function toTemporalConfig(env: z.infer<typeof temporalEnvSchema>): TemporalConfig {
  const hasTlsFiles = Boolean(
    env.TEMPORAL_TLS_CERT_PATH || env.TEMPORAL_TLS_KEY_PATH || env.TEMPORAL_TLS_CA_PATH,
  );
  // An API key is a bearer secret: it only ever travels over TLS.
  const useTls = hasTlsFiles || Boolean(env.TEMPORAL_API_KEY);
  return {
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    tls: useTls
      ? {
          clientCertPath: env.TEMPORAL_TLS_CERT_PATH,
          clientKeyPath: env.TEMPORAL_TLS_KEY_PATH,
          caPath: env.TEMPORAL_TLS_CA_PATH,
        }
      : false,
    apiKey: env.TEMPORAL_API_KEY,
  };
}

function envCluster(env: Env): NamedClusterConfig | undefined {
  if (!env.MILVUS_ADDRESS) return undefined;
  return {
    name: env.MILVUS_CLUSTER_NAME,
    address: env.MILVUS_ADDRESS,
    token: env.MILVUS_TOKEN,
    tls: env.MILVUS_TLS,
    timeoutMs: env.MILVUS_TIMEOUT_MS,
  };
}

function firstDuplicate(names: string[]): string | undefined {
  return names.find((name, i) => names.indexOf(name) !== i);
}

function toConfig(env: Env, raw: NodeJS.ProcessEnv): AppConfig {
  const file = loadWorkerFileConfig(raw);
  const fromEnv = envCluster(env);
  const clusters = [...(fromEnv ? [fromEnv] : []), ...file.clusters];
  const [first] = clusters;
  if (!first) {
    throw new ConfigError(
      'MILVUS_ADDRESS',
      'is required (host:port of Milvus) unless WORKER_CONFIG_FILE names a cluster',
    );
  }
  const cluster = firstDuplicate(clusters.map((c) => c.name));
  if (cluster)
    throw new ConfigError('clusters', `"${cluster}" is configured twice (MILVUS_CLUSTER_NAME or the file)`);
  const profile = firstDuplicate(file.profiles.map((p) => p.name));
  if (profile) throw new ConfigError('profiles', `"${profile}" is configured twice`);
  const { name: _name, ...milvus } = first;
  return {
    temporal: toTemporalConfig(env),
    milvus,
    clusters,
    profiles: file.profiles,
    logLevel: env.LOG_LEVEL,
    ...(env.METRICS_ADDRESS ? { metricsAddress: env.METRICS_ADDRESS } : {}),
  };
}

/** Reads and validates the configuration; throws ConfigError on the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw configError(parsed.error);
  try {
    return toConfig(parsed.data, env);
  } catch (err) {
    if (err instanceof WorkerConfigError) throw new ConfigError(`${err.source} ${err.field}`, err.rule);
    throw err;
  }
}

/** Only the Temporal part, for clients and the CLI. */
export function loadTemporalConfig(env: NodeJS.ProcessEnv = process.env): TemporalConfig {
  const parsed = temporalEnvSchema.safeParse(env);
  if (parsed.success) return toTemporalConfig(parsed.data);
  throw configError(parsed.error);
}

/** Only the Milvus part, for the CLI's commands that read Milvus (snapshots, restore-jobs). */
export function loadMilvusConfig(env: NodeJS.ProcessEnv = process.env): MilvusConfig {
  const parsed = milvusEnvSchema.safeParse(env);
  if (!parsed.success) throw configError(parsed.error);
  const cluster = envCluster(parsed.data as Env);
  if (!cluster) throw new ConfigError('MILVUS_ADDRESS', 'is required (host:port of Milvus)');
  const { name: _name, ...milvus } = cluster;
  return milvus;
}

function configError(error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  const variable = String(issue?.path[0] ?? 'configuration');
  // One line, and never a secret: messages come from our rules, not from the values.
  const rule = (issue?.message ?? 'is invalid').replace(/\s+/g, ' ');
  return new ConfigError(variable, SECRET_VARIABLES.has(variable) ? 'is invalid' : rule);
}

const REDACTED = '***';

function redactToken<T extends { token?: string }>(cluster: T): T {
  return cluster.token === undefined ? cluster : { ...cluster, token: REDACTED };
}

/** A copy safe to log: secrets replaced by "***" (absent secrets stay absent). */
export function redactConfig(config: AppConfig): AppConfig {
  return {
    ...config,
    temporal: {
      ...config.temporal,
      ...(config.temporal.apiKey === undefined ? {} : { apiKey: REDACTED }),
    },
    milvus: redactToken(config.milvus),
    clusters: config.clusters.map(redactToken),
    profiles: config.profiles.map(({ externalSpec, ...p }) => ({
      ...p,
      ...(externalSpec ? { externalSpec: { extfs: { redacted: REDACTED } } } : {}),
    })),
  };
}
