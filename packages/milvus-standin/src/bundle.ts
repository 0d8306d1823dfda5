/**
 * A self-contained snapshot bundle in the object store, as an export writes it and a restore
 * reads it. The layout follows Milvus's (snapshotio/storage snapshot_path.go, datacoord
 * snapshot_export_manager.go; read not copied): under `<target>/exports/<uuid>/`, the data files in
 * `files/`, a manifest in `snapshots/<collection id>/manifests/`, and the metadata file
 * `snapshots/<collection id>/metadata/<snapshot id>.json`, written last, so a bundle without it is
 * unfinished. Milvus writes binlogs, Avro manifests and protobuf-JSON metadata; the stand-in writes
 * JSON with the same anchors (restore only relies on the metadata path).
 */
import type { Row, SnapshotContent } from './model';
import { MilvusFailure } from './rows';
import type { ObjectStore } from './storage';

const FORMAT = 'milvus-standin-bundle/1';

interface BundleMetadata {
  format: string;
  /** datapb.SnapshotLayout_SnapshotLayoutSelfContained: data lives under the bundle's files/. */
  layout: 'SelfContained';
  snapshot: Omit<SnapshotContent, 'segments'>;
  manifest: string;
}

interface BundleManifest {
  segments: { id: string; sealedTs?: string; sealedAtMs: number; flushedAtMs: number; file: string }[];
}

export interface BundlePlan {
  root: string;
  metadataKey: string;
  manifestKey: string;
  /** One data file per sealed segment (what the export's total_files counts). */
  files: { segmentIndex: number; key: string }[];
}

/** Keys of the bundle `snapshot` gets under `root` (`<target>/exports/<uuid>`). */
export function planBundle(root: string, snapshot: SnapshotContent): BundlePlan {
  const base = root ? `${root}/` : '';
  const anchor = `${base}snapshots/${snapshot.collectionId}`;
  return {
    root,
    metadataKey: `${anchor}/metadata/${snapshot.id}.json`,
    manifestKey: `${anchor}/manifests/${snapshot.id}.json`,
    files: snapshot.segments.map((s, i) => ({ segmentIndex: i, key: `${base}files/${s.id}.json` })),
  };
}

/** Copies one segment's rows into the bundle; returns the bytes written. */
export function writeBundleFile(
  store: ObjectStore,
  bucket: string,
  snapshot: SnapshotContent,
  file: BundlePlan['files'][number],
): number {
  return store.put(bucket, file.key, JSON.stringify(snapshot.segments[file.segmentIndex].rows));
}

/** Writes the manifest, then the metadata file (last); returns their bytes. */
export function publishBundle(
  store: ObjectStore,
  bucket: string,
  snapshot: SnapshotContent,
  plan: BundlePlan,
): number {
  const manifest: BundleManifest = {
    segments: snapshot.segments.map((s, i) => ({
      id: s.id,
      sealedTs: s.sealedTs,
      sealedAtMs: s.sealedAtMs,
      flushedAtMs: s.flushedAtMs,
      file: plan.files[i].key,
    })),
  };
  const { segments: _segments, ...definition } = snapshot;
  const metadata: BundleMetadata = {
    format: FORMAT,
    layout: 'SelfContained',
    snapshot: definition,
    manifest: plan.manifestKey,
  };
  return (
    store.put(bucket, plan.manifestKey, JSON.stringify(manifest)) +
    store.put(bucket, plan.metadataKey, JSON.stringify(metadata))
  );
}

/** merr.WrapErrIoKeyNotFound (code 1000), wrapped by RestoreExternalSnapshot. */
function unreadable(key: string): MilvusFailure {
  return new MilvusFailure(1000, `failed to read external snapshot data: key not found[key=${key}]`);
}

function readJson<T>(store: ObjectStore, bucket: string, key: string): T {
  const bytes = store.get(bucket, key);
  if (!bytes) throw unreadable(key);
  return JSON.parse(bytes.toString('utf8')) as T;
}

/** snapshot_meta.go ReadAndValidateExternalSnapshotDataWithChunkManager: metadata, manifest, then every file. */
export function readBundle(store: ObjectStore, bucket: string, metadataKey: string): SnapshotContent {
  const metadata = readJson<BundleMetadata>(store, bucket, metadataKey);
  if (metadata.format !== FORMAT)
    throw new MilvusFailure(
      1000,
      `failed to read external snapshot data: unknown snapshot format at ${metadataKey}`,
    );
  const manifest = readJson<BundleManifest>(store, bucket, metadata.manifest);
  return {
    ...metadata.snapshot,
    segments: manifest.segments.map(({ file, ...segment }) => ({
      ...segment,
      rows: readJson<Row[]>(store, bucket, file),
    })),
  };
}
