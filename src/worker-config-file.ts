import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ExternalSpec } from './milvus/gateway';
import { parseJson } from './shared/parse-json';
import { configName } from './contracts/input-fields';
import { unknownKeyIssues } from './contracts/parse-input';

/**
 * The worker's named Milvus clusters and storage profiles, from a JSON file
 * (`WORKER_CONFIG_FILE`) and/or the same JSON inline (`WORKER_CONFIG`). Workflow inputs name a
 * cluster or profile; only the worker resolves the name, so addresses' tokens and storage keys
 * never enter an input, result, history, log or error. A secret may be written inline or as
 * `{ "env": "VARIABLE" }`, so the file itself can be checked in without one.
 */

export interface NamedClusterConfig {
  name: string;
  address: string;
  /** "user:password" or an API key. Secret. */
  token?: string;
  tls: boolean;
  timeoutMs: number;
}

export interface StorageProfileConfig {
  name: string;
  /** Root under which Milvus writes export bundles (`<root>/exports/<uuid>/…`). */
  targetS3Path: string;
  /** Milvus's `external_spec` (`{"extfs":{…}}`); absent = the cluster's own credentials. Secret. */
  externalSpec?: ExternalSpec;
}

export interface WorkerFileConfig {
  clusters: NamedClusterConfig[];
  profiles: StorageProfileConfig[];
}

const envReference = z.object({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must name a variable') });
const secret = z.union([z.string(), envReference]);

const clusterSchema = z.object({
  address: z
    .string()
    .refine(isMilvusAddress, 'must be host:port, optionally prefixed by http:// or https://'),
  token: secret.optional(),
  tls: z.boolean().default(false),
  timeoutMs: z.number().int().min(1).max(3_600_000).default(30_000),
});

/** An `extfs` value: text, a flag, or a secret from the environment. */
const extfsValue = z.union([z.string(), z.boolean(), z.number(), envReference]);

const profileSchema = z.object({
  targetS3Path: z
    .string()
    .regex(
      /^[a-z][a-z0-9+.-]*:\/\/[^/\s]+\/\S+$/,
      'must be a URI with a bucket and a key prefix, e.g. s3://bucket/milvus-exports',
    ),
  externalSpec: z.object({ extfs: z.record(z.string(), extfsValue) }).optional(),
});

const fileSchema = z.object({
  clusters: z.record(configName, clusterSchema).default({}),
  profiles: z.record(configName, profileSchema).default({}),
});

type FileShape = z.output<typeof fileSchema>;

/** A problem in the file, naming where: `WORKER_CONFIG_FILE clusters.dr.address: must be host:port`. */
export class WorkerConfigError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${source} ${field}: ${rule}`);
    this.name = 'WorkerConfigError';
  }
}

function resolveSecret(
  value: z.output<typeof secret> | undefined,
  env: NodeJS.ProcessEnv,
  source: string,
  field: string,
): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const resolved = env[value.env];
  if (resolved === undefined || resolved === '') {
    throw new WorkerConfigError(source, field, `names ${value.env}, which is not set`);
  }
  return resolved;
}

function toFileConfig(shape: FileShape, env: NodeJS.ProcessEnv, source: string): WorkerFileConfig {
  const clusters = Object.entries(shape.clusters).map(([name, c]) => ({
    name,
    address: c.address,
    token: resolveSecret(c.token, env, source, `clusters.${name}.token`),
    tls: c.tls,
    timeoutMs: c.timeoutMs,
  }));
  const profiles = Object.entries(shape.profiles).map(([name, p]) => {
    if (!p.externalSpec) return { name, targetS3Path: p.targetS3Path };
    // Milvus reads extfs as a string → string map (use_iam "true").
    const extfs = Object.fromEntries(
      Object.entries(p.externalSpec.extfs).map(([key, value]) => [
        key,
        typeof value === 'object'
          ? (resolveSecret(value, env, source, `profiles.${name}.externalSpec.extfs.${key}`) as string)
          : String(value),
      ]),
    );
    return { name, targetS3Path: p.targetS3Path, externalSpec: { extfs } };
  });
  return { clusters, profiles };
}

/** Parses one JSON text; messages name the field and the rule, never a value. */
export function parseWorkerFileConfig(
  text: string,
  source: string,
  env: NodeJS.ProcessEnv,
): WorkerFileConfig {
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (err) {
    throw new WorkerConfigError(source, '(file)', err instanceof Error ? err.message : String(err));
  }
  const unknown = unknownKeyIssues(fileSchema, raw);
  if (unknown.length > 0) throw new WorkerConfigError(source, unknown[0].field, unknown[0].rule);
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.map(String).join('.') : '(file)';
    // Zod's own messages can quote the value; a secret must not reach the log.
    const rule = issue.code === 'invalid_union' ? 'must be text or { "env": "VARIABLE" }' : issue.message;
    throw new WorkerConfigError(source, field, rule);
  }
  return toFileConfig(parsed.data, env, source);
}

/** Clusters and profiles from WORKER_CONFIG_FILE, then WORKER_CONFIG (inline); both may be absent. */
export function loadWorkerFileConfig(env: NodeJS.ProcessEnv): WorkerFileConfig {
  const parts: WorkerFileConfig[] = [];
  const path = env.WORKER_CONFIG_FILE;
  if (path) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new WorkerConfigError('WORKER_CONFIG_FILE', '(file)', `cannot read ${path} (${code})`);
    }
    parts.push(parseWorkerFileConfig(text, 'WORKER_CONFIG_FILE', env));
  }
  if (env.WORKER_CONFIG) parts.push(parseWorkerFileConfig(env.WORKER_CONFIG, 'WORKER_CONFIG', env));
  return {
    clusters: parts.flatMap((p) => p.clusters),
    profiles: parts.flatMap((p) => p.profiles),
  };
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;

/** host:port with a port in 1-65535 (IPv6 hosts in brackets). */
export function isHostPort(value: string): boolean {
  const port = Number(HOST_PORT.exec(value)?.[2] ?? 0);
  return port >= 1 && port <= 65535;
}

/** A Milvus address: host:port, optionally prefixed by http:// or https://. */
export function isMilvusAddress(value: string): boolean {
  return isHostPort(value.replace(/^https?:\/\//, ''));
}
