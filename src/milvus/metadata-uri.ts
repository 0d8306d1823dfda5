/**
 * Reads snapshot storage locations the way Milvus does (snapshotio/storage/path.go
 * parseForeignURI, deriveSnapshotBundleAnchor; read not copied), with Milvus's own wording for
 * each refusal: an object key (older servers' DescribeSnapshot.s3_location, read from the
 * cluster's own bucket) or a URI — `minio|http|https|az|azure://<endpoint>/<bucket>/<key>`
 * (endpoint style) or `s3|gs|gcs://<bucket>/<key>`. A restore's metadata URI must end with
 * `snapshots/{collectionID}/metadata/{snapshotID}.json` (path.go DeriveForeignRoot). Pure. The
 * stand-in reads the same Milvus source on its own (packages/milvus-standin/src/foreign-uri.ts), so
 * where this reading is wrong the stand-in answers as Milvus would.
 */

export interface StorageLocation {
  /** '' for the object-key form. */
  scheme: string;
  /** The URI's endpoint host[:port], lower case (endpoint-style schemes only). */
  endpoint: string;
  /** '' for the object-key form: the cluster's own bucket. */
  bucket: string;
  /** Object key, without leading or trailing slashes. */
  key: string;
}

export interface MetadataLocation extends StorageLocation {
  /** The bundle root: the key before `snapshots/…` ('' = bucket root). */
  root: string;
  collectionId: string;
  snapshotId: string;
}

type Parsed<T> = ({ ok: true } & T) | { ok: false; problem: string };

const SCHEMES = new Set(['s3', 'minio', 'gs', 'gcs', 'az', 'azure', 'http', 'https']);
const ENDPOINT_STYLE = new Set(['minio', 'http', 'https', 'az', 'azure']);
const POSITIVE_ID = /^[1-9]\d{0,18}$/;
export const METADATA_ANCHOR_RULE =
  'restore metadata URI must end with snapshots/{collectionID}/metadata/{snapshotID}.json';

function segmentsOf(path: string): string[] | undefined {
  const parts = path.split('/').filter((p) => p !== '');
  return parts.some((p) => p === '.' || p === '..') ? undefined : parts;
}

/** path.go parseForeignURI: `allowEmptyKey` for a bundle root (ParseForeignRootURI). */
export function parseStorageUri(raw: string, allowEmptyKey = false): Parsed<StorageLocation> {
  if (raw.trim() === '') return { ok: false, problem: 'foreign_uri is empty' };
  if (!raw.includes('://')) {
    const parts = segmentsOf(raw);
    if (!parts) return { ok: false, problem: 'foreign_uri object key must not contain path traversal' };
    return { ok: true, scheme: '', endpoint: '', bucket: '', key: parts.join('/') };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'invalid foreign_uri' };
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (!SCHEMES.has(scheme)) return { ok: false, problem: `foreign_uri scheme "${scheme}" is not supported` };
  if (url.username || url.password) return { ok: false, problem: 'foreign_uri must not embed credentials' };
  if (url.search || url.hash)
    return { ok: false, problem: 'foreign_uri must not include query parameters or fragments' };
  if (!url.host) return { ok: false, problem: 'foreign_uri must include a bucket or endpoint host' };
  const parts = segmentsOf(decodeURIComponent(url.pathname));
  if (!parts) return { ok: false, problem: 'foreign_uri object key must not contain path traversal' };
  if (ENDPOINT_STYLE.has(scheme)) {
    if (parts.length < (allowEmptyKey ? 1 : 2))
      return { ok: false, problem: 'foreign_uri must include bucket and object key' };
    return {
      ok: true,
      scheme,
      endpoint: url.host.toLowerCase(),
      bucket: parts[0],
      key: parts.slice(1).join('/'),
    };
  }
  if (parts.length === 0 && !allowEmptyKey)
    return { ok: false, problem: 'foreign_uri must include object key' };
  return { ok: true, scheme, endpoint: '', bucket: url.host, key: parts.join('/') };
}

/** A restore's metadata location: parseForeignURI, then the snapshots/…/metadata/….json anchor. */
export function parseMetadataUri(raw: string): Parsed<MetadataLocation> {
  const location = parseStorageUri(raw);
  if (!location.ok) return location;
  const parts = location.key.split('/');
  const n = parts.length;
  const file = parts[n - 1] ?? '';
  const collectionId = parts[n - 3] ?? '';
  const snapshotId = file.replace(/\.json$/, '');
  if (
    n < 4 ||
    parts[n - 4] !== 'snapshots' ||
    parts[n - 2] !== 'metadata' ||
    !file.endsWith('.json') ||
    !POSITIVE_ID.test(collectionId) ||
    !POSITIVE_ID.test(snapshotId)
  )
    return { ok: false, problem: METADATA_ANCHOR_RULE };
  return { ...location, root: parts.slice(0, n - 4).join('/'), collectionId, snapshotId };
}
