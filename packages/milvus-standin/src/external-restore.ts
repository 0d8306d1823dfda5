/**
 * RestoreExternalSnapshot (milvus-io/milvus internal/proxy Proxy.RestoreExternalSnapshot, then
 * internal/datacoord/snapshot_manager.go RestoreExternalSnapshot → finishRestoreSnapshot; read not
 * copied):
 * - an empty snapshot_metadata_uri is 1100 `snapshot_metadata_uri is required for restore external
 *   snapshot` (proxy);
 * - the URI is resolved against the cluster's storage first (storage.ts: the same-service rule, the
 *   snapshots/{cid}/metadata/{sid}.json anchor), then `validateRestoreTargetAbsent` refuses an
 *   existing target (or alias, DescribeCollectionByName resolves both) with 1100 `target collection
 *   X already exists in database Y`, then the snapshot data is read (a missing object:
 *   `failed to read external snapshot data: key not found[key=…]`, merr ErrIoKeyNotFound 1000);
 * - then it is an ordinary restore job: target created inside the call, not loaded, polled with
 *   GetRestoreSnapshotState and listed by ListRestoreSnapshotJobs; the job's snapshot name is the
 *   metadata's; no pin is taken (pinID 0);
 * - an empty external_spec means the cluster's own credentials; the stand-in has no credentials to
 *   check, so a spec only has to be JSON with an `extfs` object (pkg/util/externalspec
 *   ParseExternalSpec).
 */
import { readBundle } from './bundle';
import { DEFAULT_DB, type Engine } from './engine';
import { MilvusCode, reasons } from './milvus-codes';
import type { SnapshotContent } from './model';
import { validateCollectionName } from './names';
import { MilvusFailure } from './rows';
import type { Snapshots } from './snapshots';
import { resolveMetadataUri, type ObjectStore } from './storage';

const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

/** specutil.ParseExternalSpec: JSON whose `extfs` (if any) is an object of strings. Never echoes the spec. */
export function checkExternalSpec(spec: string): void {
  if (spec.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(spec);
  } catch {
    throw invalid('parse external spec: external spec is not valid JSON');
  }
  const extfs = (parsed as { extfs?: unknown } | null)?.extfs;
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    (extfs !== undefined &&
      (typeof extfs !== 'object' ||
        extfs === null ||
        Object.values(extfs).some((v) => typeof v !== 'string')))
  )
    throw invalid('parse external spec: extfs must be an object of string values');
}

export function restoreExternalSnapshot(
  engine: Engine,
  snapshots: Snapshots,
  store: ObjectStore,
  input: { db: string; targetCollection: string; metadataUri: string; externalSpec: string },
): string {
  if (!input.metadataUri) throw invalid('snapshot_metadata_uri is required for restore external snapshot');
  checkExternalSpec(input.externalSpec);
  const location = resolveMetadataUri(snapshots.storage, input.metadataUri);
  validateCollectionName(input.targetCollection);
  const targetDb = engine.resolveDb(input.db || DEFAULT_DB);
  if (
    engine.findCollection(targetDb, input.targetCollection) ??
    engine.findByAlias(targetDb, input.targetCollection)
  )
    throw invalid(`target collection ${input.targetCollection} already exists in database ${targetDb}`);
  const own =
    location.bucket === snapshots.storage.bucket
      ? engine.state.snapshots.find((s) => s.s3Location === location.key)
      : undefined;
  const content: SnapshotContent = own ?? readBundle(store, location.bucket, location.key);
  const job = snapshots.startRestoreJob(content, {
    targetDb,
    targetCollection: input.targetCollection,
    sourceDb: own?.db ?? '',
    sourceCollection: own?.collection ?? '',
    metadataUri: input.metadataUri,
    embedded: !own,
  });
  engine.persist();
  return job.id;
}
