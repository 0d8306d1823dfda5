/**
 * The cluster's object storage as the snapshot RPCs see it (milvus-io/milvus
 * internal/snapshotio/storage, read not copied): the instance's endpoint, bucket and root path,
 * and a local object store — one directory per bucket — shared by every stand-in pointed at the
 * same directory, so two stand-ins act as two clusters on one MinIO.
 *
 * - resolver.go ResolveForeignStorage / validateProviderEndpointPair: only provider-side copies
 *   exist, so a foreign location must be on the instance's own storage service: an endpoint-style
 *   URI (`minio://host:port/bucket/key`) must name the instance's endpoint, and a non-S3 family
 *   (gs, azure) is refused, both with 1100 `server-side cross-bucket copy is unsupported …`;
 *   `s3://bucket/key` and bare keys use the instance endpoint (another bucket is fine).
 * - path.go BuildInstanceSnapshotURI: newer servers describe a snapshot's metadata location as
 *   `minio://<endpoint>/<bucket>/<key>`; older ones answered the bare key (`s3LocationForm`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deriveRestoreAnchor, parseForeignUri, type BundleAnchor, type ForeignLocation } from './foreign-uri';
import { MilvusCode, reasons } from './milvus-codes';
import { MilvusFailure } from './rows';

export interface StorageConfig {
  /** host:port of the object storage service (minio.address). */
  endpoint: string;
  /** minio.bucketName. */
  bucket: string;
  /** minio.rootPath: snapshots live under `<rootPath>/snapshots/…`. */
  rootPath: string;
  /** 'uri' (newer servers) or 'key' (older ones): the form of DescribeSnapshot.s3_location. */
  s3LocationForm: 'uri' | 'key';
  /** The object store directory (one subdirectory per bucket); unset = in memory, this process only. */
  objectStoreDir?: string;
}

/** Milvus's defaults (configs/milvus.yaml minio.address/bucketName/rootPath). */
export const DEFAULT_STORAGE: StorageConfig = {
  endpoint: '127.0.0.1:9000',
  bucket: 'a-bucket',
  rootPath: 'files',
  s3LocationForm: 'uri',
};

/** resolver.go unsupportedServerSideCopyMessage. */
export const UNSUPPORTED_COPY =
  'server-side cross-bucket copy is unsupported for this provider/endpoint pair; cross-service copy would require streaming (unsupported)';

const S3_FAMILY = new Set(['', 's3', 'minio', 'http', 'https']);

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

/** The metadata key of a snapshot the cluster owns (snapshot_path.go: `<root>/snapshots/<cid>/metadata/<sid>.json`). */
export function snapshotMetadataKey(config: StorageConfig, collectionId: string, snapshotId: string): string {
  return [config.rootPath, 'snapshots', collectionId, 'metadata', `${snapshotId}.json`]
    .filter(Boolean)
    .join('/');
}

/** path.go BuildInstanceSnapshotURI (newer servers) or the catalog's key as is (older ones). */
export function describedLocation(config: StorageConfig, key: string): string {
  return config.s3LocationForm === 'key' ? key : objectUri(config, config.bucket, key);
}

/** path.go buildSnapshotObjectURI for a custom S3-compatible endpoint. */
export function objectUri(config: StorageConfig, bucket: string, key: string): string {
  return `minio://${config.endpoint}/${bucket}/${key}`;
}

export interface ResolvedLocation extends ForeignLocation {
  /** The bucket the object lives in (the instance's when the location names none). */
  bucket: string;
}

/** The same-service rule for a location (resolver.go validateProviderEndpointPair). */
function checkSameService(config: StorageConfig, location: ForeignLocation): void {
  if (!S3_FAMILY.has(location.scheme)) throw invalid(UNSUPPORTED_COPY);
  if (location.endpoint && location.endpoint.toLowerCase() !== config.endpoint.toLowerCase())
    throw invalid(UNSUPPORTED_COPY);
}

/**
 * A restore's metadata URI, resolved against this cluster's storage (resolver.go
 * ResolveForeignStorage, direction restore): parseSnapshotForeignURI (parseForeignURI, then
 * DeriveForeignRoot's anchor), then validateProviderEndpointPair.
 *
 * Known deviation: for a restore, parseSnapshotForeignURI also refuses a location without scheme
 * and host (1100 `restore snapshot metadata URI must be a complete URI with scheme and host`); the
 * stand-in still reads a bare object key from its own bucket, as older servers' DescribeSnapshot
 * answered one (docs/standin.md).
 */
export function resolveMetadataUri(config: StorageConfig, uri: string): ResolvedLocation & BundleAnchor {
  const location = parseForeignUri(uri);
  const anchor = deriveRestoreAnchor(location.key);
  checkSameService(config, location);
  return { ...location, ...anchor, bucket: location.bucket || config.bucket };
}

/** An export's target root (resolver.go, direction export; ParseForeignRootURI). */
export function resolveExportTarget(config: StorageConfig, target: string): ResolvedLocation {
  const location = parseForeignUri(target, true);
  checkSameService(config, location);
  return { ...location, bucket: location.bucket || config.bucket };
}

/** Objects by bucket and key: a directory per bucket, or memory when no directory is set. */
export class ObjectStore {
  private readonly memory = new Map<string, Buffer>();

  constructor(private readonly dir?: string) {}

  private file(bucket: string, key: string): string {
    return path.join(this.dir as string, bucket, ...key.split('/'));
  }

  put(bucket: string, key: string, data: Buffer | string): number {
    const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
    if (!this.dir) this.memory.set(`${bucket}/${key}`, bytes);
    else {
      const file = this.file(bucket, key);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // tmp + rename: a reader never sees half an object (S3 PUT is atomic too).
      fs.writeFileSync(`${file}.tmp`, bytes);
      fs.renameSync(`${file}.tmp`, file);
    }
    return bytes.length;
  }

  get(bucket: string, key: string): Buffer | undefined {
    if (!this.dir) return this.memory.get(`${bucket}/${key}`);
    try {
      return fs.readFileSync(this.file(bucket, key));
    } catch {
      return undefined;
    }
  }
}
