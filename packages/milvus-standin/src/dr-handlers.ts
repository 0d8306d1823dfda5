/** The disaster-recovery RPCs: RestoreExternalSnapshot, ExportSnapshot, GetExportSnapshotState. */
import type { Engine } from './engine';
import type { Exports } from './exports';
import { restoreExternalSnapshot } from './external-restore';
import { dbOf, type Handler } from './handlers';
import type { Snapshots } from './snapshots';
import type { ObjectStore } from './storage';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));

export function drHandlers(
  engine: Engine,
  snapshots: Snapshots,
  store: ObjectStore,
  exports: Exports,
): Record<string, Handler> {
  return {
    // The deprecated snapshot_metadata_uri (field 2) stays empty; the URI comes with the job's state.
    ExportSnapshot: (req, ctx) => ({
      job_id: exports.submit({
        db: dbOf(req, ctx),
        collection: str(req.collection_name),
        name: str(req.name),
        targetPath: str(req.target_s3_path),
        externalSpec: str(req.external_spec),
      }),
      snapshot_metadata_uri: '',
    }),
    GetExportSnapshotState: (req) => ({ info: exports.info(str(req.job_id)) }),
    // database_interceptor.go fills an empty db_name from the dbname header.
    RestoreExternalSnapshot: (req, ctx) => ({
      job_id: restoreExternalSnapshot(engine, snapshots, store, {
        db: dbOf(req, ctx) ?? '',
        targetCollection: str(req.target_collection_name),
        metadataUri: str(req.snapshot_metadata_uri),
        externalSpec: str(req.external_spec),
      }),
    }),
  };
}
