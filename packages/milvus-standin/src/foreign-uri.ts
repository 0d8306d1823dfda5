/**
 * Snapshot storage locations as Milvus reads them (milvus-io/milvus
 * internal/snapshotio/storage/path.go, read not copied; the stand-in's own reading, shared with
 * nothing outside this package):
 *
 * - `parseForeignURI` (ParseForeignURI; ParseForeignRootURI with `allowEmptyKey`): a string without
 *   `://` is an object key of the cluster's own bucket (validateRawObjectKey: no `.` or `..`
 *   segment). A URI is refused, in this order, for embedded credentials (`u.User`), a query or
 *   fragment, an unsupported scheme (isSupportedForeignScheme), no host, a bad percent escape or a
 *   `.`/`..` segment (cleanURIPathSegments, checked on the raw path before anything normalises it).
 *   `minio|http|https://<endpoint>/<bucket>/<key>` and `az|azure://<endpoint>/<container>/<key>` are
 *   endpoint-style; `s3|gs|gcs://<bucket>/<key>` are bucket-hosted, unless the host is a cloud
 *   provider's endpoint (pkg/util/externalspec IsCloudEndpointHost), which makes them endpoint-style.
 * - `deriveForeignRoot` for a restore (DeriveForeignRoot → deriveSnapshotBundleAnchor): the key
 *   must end with `snapshots/{collectionID}/metadata/{snapshotID}.json`, both ids int64 > 0
 *   (strconv.ParseInt: a sign and leading zeros pass, beyond int64 fails).
 *
 * Every refusal is merr.WrapErrParameterInvalidMsg: 1100 with Milvus's wording.
 */
import { MilvusCode, reasons } from './milvus-codes';
import { MilvusFailure } from './rows';

export interface ForeignLocation {
  /** Lower-case scheme; '' for an object key. */
  scheme: string;
  /** The URI's host[:port] for endpoint-style URIs, '' otherwise. */
  endpoint: string;
  /** '' = the cluster's own bucket (an object key). */
  bucket: string;
  /** The object key, its segments joined by '/'. */
  key: string;
}

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

/** path.go isSupportedForeignScheme. */
const SUPPORTED_SCHEMES = new Set(['s3', 'minio', 'gs', 'gcs', 'az', 'azure', 'http', 'https']);

/** pkg/util/externalspec IsCloudEndpointHost: the provider domain families. */
const CLOUD_ENDPOINT_SUFFIXES = [
  '.amazonaws.com',
  '.amazonaws.com.cn',
  '.googleapis.com',
  '.aliyuncs.com',
  '.myqcloud.com',
  '.myhuaweicloud.com',
  '.core.windows.net',
  '.core.chinacloudapi.cn',
  '.core.usgovcloudapi.net',
  '.core.cloudapi.de',
];

const isCloudEndpointHost = (host: string) =>
  CLOUD_ENDPOINT_SUFFIXES.some((suffix) => host.toLowerCase().endsWith(suffix));

const TRAVERSAL = 'foreign_uri object key must not contain path traversal';

/** scheme://authority path ?query #fragment, split the way Go's url.Parse does for these URIs. */
const URI_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/;

/** path.go parseForeignURI. */
export function parseForeignUri(raw: string, allowEmptyKey = false): ForeignLocation {
  if (raw.trim() === '') throw invalid('foreign_uri is empty');
  if (!raw.includes('://')) {
    const segments = raw.replace(/^\/+|\/+$/g, '').split('/');
    if (segments.some((s) => s === '.' || s === '..')) throw invalid(TRAVERSAL);
    return { scheme: '', endpoint: '', bucket: '', key: segments.filter(Boolean).join('/') };
  }
  const parts = URI_PARTS.exec(raw);
  if (!parts) throw invalid('invalid foreign_uri');
  const [, rawScheme, authority, rawPath, query, fragment] = parts;
  if (authority.includes('@')) throw invalid('foreign_uri must not embed credentials');
  if (query !== undefined || (fragment !== undefined && fragment !== '#'))
    throw invalid('foreign_uri must not include query parameters or fragments');
  const scheme = rawScheme.toLowerCase();
  if (!SUPPORTED_SCHEMES.has(scheme)) throw invalid(`foreign_uri scheme "${scheme}" is not supported`);
  if (authority === '') throw invalid('foreign_uri must include a bucket or endpoint host');
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch (err) {
    throw invalid(`invalid foreign_uri path escape: ${(err as Error).message}`);
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) throw invalid(TRAVERSAL);
  const needed = allowEmptyKey ? 1 : 2;
  const endpointStyle = (what: string): ForeignLocation => {
    if (segments.length < needed) throw invalid(`foreign_uri must include ${what} and object key`);
    return { scheme, endpoint: authority, bucket: segments[0], key: segments.slice(1).join('/') };
  };
  if (scheme === 'minio' || scheme === 'http' || scheme === 'https') return endpointStyle('bucket');
  if (scheme === 'az' || scheme === 'azure') return endpointStyle('container');
  if (isCloudEndpointHost(authority)) return endpointStyle('bucket');
  if (segments.length === 0 && !allowEmptyKey) throw invalid('foreign_uri must include object key');
  return { scheme, endpoint: '', bucket: authority, key: segments.join('/') };
}

const INT64_MAX = (1n << 63n) - 1n;

/** strconv.ParseInt(s, 10, 64) > 0, as the anchor's ids are read. */
function positiveInt64(text: string): string | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value > 0n && value <= INT64_MAX ? value.toString() : undefined;
}

export interface BundleAnchor {
  /** The key before `snapshots/…` ('' = the bucket root). */
  root: string;
  collectionId: string;
  snapshotId: string;
}

/** path.go DeriveForeignRoot for a restore: the snapshots/{cid}/metadata/{sid}.json anchor. */
export function deriveRestoreAnchor(key: string): BundleAnchor {
  const segments = key.replace(/^\/+|\/+$/g, '').split('/');
  const anchor = segments.length - 4;
  const file = segments[anchor + 3] ?? '';
  const collectionId = positiveInt64(segments[anchor + 1] ?? '');
  const snapshotId = file.endsWith('.json') ? positiveInt64(file.slice(0, -'.json'.length)) : undefined;
  if (
    anchor < 0 ||
    segments[anchor] !== 'snapshots' ||
    segments[anchor + 2] !== 'metadata' ||
    !collectionId ||
    !snapshotId
  )
    throw invalid('restore metadata URI must end with snapshots/{collectionID}/metadata/{snapshotID}.json');
  return { root: segments.slice(0, anchor).filter(Boolean).join('/'), collectionId, snapshotId };
}
