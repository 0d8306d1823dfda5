/**
 * Checks for the inputs of the external snapshot RPCs, and the redaction that keeps storage
 * credentials out of every error. Milvus itself redacts export failure reasons
 * (snapshot_export_manager.go sanitizeSnapshotExportReason); the gateway does it again for every
 * DR call, since a restore's or a refused call's reason has no such guarantee.
 */
import { MilvusError, isMilvusError } from './errors';
import type { ErrorContext } from './classify-error';
import type { ExternalSpec } from './gateway';
import { parseMetadataUri } from './metadata-uri';

const REDACTED = '<redacted>';
/** pkg/util/externalspec secretExtfsKeys, snapshot_export_manager.go's credential_json, and any key that names a secret. */
const SECRET_KEY =
  /^(access_key_id|access_key_value|ssl_ca_cert|external_id|credential_json)$|key|secret|token|credential|password/i;

function refuse(ctx: ErrorContext, field: string, rule: string): never {
  throw new MilvusError(`${ctx.operation}: invalid ${field}: ${rule}`, { kind: 'InvalidArgument', ...ctx });
}

/**
 * `{ extfs: { key: string } }` → the JSON Milvus takes (pkg/util/externalspec: extfs is a
 * string → string map); omitted → '' (the cluster's own credentials). Messages name keys, never values.
 */
export function serializeExternalSpec(ctx: ErrorContext, spec: ExternalSpec | undefined): string {
  if (spec === undefined) return '';
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    refuse(ctx, 'external spec', 'must be an object { extfs: { … } }');
  const unknown = Object.keys(spec).filter((k) => k !== 'extfs');
  if (unknown.length > 0) refuse(ctx, 'external spec', `unknown key '${unknown[0]}' (only 'extfs')`);
  const extfs = spec.extfs;
  if (typeof extfs !== 'object' || extfs === null || Array.isArray(extfs))
    refuse(ctx, 'external spec extfs', 'must be an object of string values');
  const bad = Object.entries(extfs).find(([, v]) => typeof v !== 'string');
  if (bad) refuse(ctx, `external spec extfs.${bad[0]}`, 'must be a string (Milvus reads extfs as strings)');
  return Object.keys(extfs).length === 0 ? '' : JSON.stringify({ extfs });
}

/** A metadata URI as DescribeSnapshot or an export answers it; checked as Milvus's restore checks it. */
export function checkMetadataUri(ctx: ErrorContext, uri: unknown): string {
  if (typeof uri !== 'string' || uri.trim() === '') refuse(ctx, 'metadata URI', 'must be a non-empty string');
  const parsed = parseMetadataUri(uri);
  if (!parsed.ok) refuse(ctx, 'metadata URI', parsed.problem);
  return uri;
}

/** target_s3_path: a bundle root URI or key, never with credentials inside. */
export function checkTargetPath(ctx: ErrorContext, path: unknown): string {
  if (typeof path !== 'string' || path.trim() === '')
    refuse(ctx, 'target path', 'must be a non-empty string');
  // Any '@' in a URI may be userinfo (a key with '/' in it defeats a stricter pattern): never sent.
  if (path.includes('://') && path.includes('@'))
    refuse(ctx, 'target path', 'must not embed credentials (use a storage profile)');
  return path;
}

/** The spec's values (and the spec itself) replaced by <redacted> in a MilvusError's message. */
export function redactSpecSecrets(err: unknown, spec: ExternalSpec | undefined): unknown {
  if (!spec || !isMilvusError(err)) return err;
  const values = Object.entries(spec.extfs ?? {})
    .filter(([key]) => SECRET_KEY.test(key))
    .map(([, value]) => value);
  const secrets = [JSON.stringify(spec), ...values]
    .filter((v) => typeof v === 'string' && v.length > 0)
    .sort((a, b) => b.length - a.length);
  const message = secrets.reduce((text, secret) => text.split(secret).join(REDACTED), err.message);
  if (message === err.message) return err;
  const redacted = new MilvusError(message, err);
  redacted.stack = `${redacted.name}: ${message}`;
  return redacted;
}
