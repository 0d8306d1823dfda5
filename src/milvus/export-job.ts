import type { ExportJobInfo } from './gateway';
import { toJobInfo, type RawJobInfo } from './raw-job';

/** ExportSnapshotInfo as the carried proto decodes it: the shared job fields and the bundle's. */
export interface RawExportInfo extends RawJobInfo {
  total_files?: string | number;
  copied_files?: string | number;
  snapshot_metadata_uri?: string;
  total_bytes?: string | number;
}

/**
 * snapshot_export_manager.go GetJobInfo: start_time epoch ms, time_cost ms until now or the end,
 * snapshot_metadata_uri only once Completed.
 */
export function toExportJob(info: RawExportInfo): ExportJobInfo {
  const job = toJobInfo(info, 'ExportSnapshot');
  return {
    ...job,
    totalFiles: Number(info.total_files ?? 0),
    copiedFiles: Number(info.copied_files ?? 0),
    metadataUri: job.state === 'Completed' ? (info.snapshot_metadata_uri ?? '') : '',
    totalBytes: Number(info.total_bytes ?? 0),
  };
}
