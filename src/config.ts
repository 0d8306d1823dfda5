import { statSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from './contracts/task-queue';
import { DEFAULT_DB } from './milvus/names';

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
  milvus: MilvusConfig;
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
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

function isHostPort(value: string): boolean {
  const port = Number(HOST_PORT.exec(value)?.[2] ?? 0);
  return port >= 1 && port <= 65535;
}

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
  MILVUS_ADDRESS: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string('is required (host:port of Milvus)')
      .refine(
        (v) => isHostPort(v.replace(/^https?:\/\//, '')),
        'must be host:port, optionally prefixed by http:// or https://',
      ),
  ),
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

function toMilvusConfig(env: z.infer<typeof milvusEnvSchema>): MilvusConfig {
  return {
    address: env.MILVUS_ADDRESS,
    token: env.MILVUS_TOKEN,
    tls: env.MILVUS_TLS,
    timeoutMs: env.MILVUS_TIMEOUT_MS,
  };
}

function toConfig(env: Env): AppConfig {
  return {
    temporal: toTemporalConfig(env),
    milvus: toMilvusConfig(env),
    logLevel: env.LOG_LEVEL,
    ...(env.METRICS_ADDRESS ? { metricsAddress: env.METRICS_ADDRESS } : {}),
  };
}

/** Reads and validates the configuration; throws ConfigError on the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return toConfig(parsed.data);
  throw configError(parsed.error);
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
  if (parsed.success) return toMilvusConfig(parsed.data);
  throw configError(parsed.error);
}

function configError(error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  const variable = String(issue?.path[0] ?? 'configuration');
  // One line, and never a secret: messages come from our rules, not from the values.
  const rule = (issue?.message ?? 'is invalid').replace(/\s+/g, ' ');
  return new ConfigError(variable, SECRET_VARIABLES.has(variable) ? 'is invalid' : rule);
}

const REDACTED = '***';

/** A copy safe to log: secrets replaced by "***" (absent secrets stay absent). */
export function redactConfig(config: AppConfig): AppConfig {
  return {
    ...config,
    temporal: {
      ...config.temporal,
      ...(config.temporal.apiKey === undefined ? {} : { apiKey: REDACTED }),
    },
    milvus: {
      ...config.milvus,
      ...(config.milvus.token === undefined ? {} : { token: REDACTED }),
    },
  };
}
