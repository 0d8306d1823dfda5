import type { ExportParams, ExportProgress } from '../contracts/export';

/**
 * The export's "current details" in the Temporal UI (Markdown, re-read on every page view): what it
 * exports, its phase, Milvus's job state and %, and the files copied as Milvus last reported them
 * (snapshot_export_manager.go executeJob: total_files once the plan is persisted, copied_files per
 * checkpoint of 256 files, total_bytes only when the job completes). Pure.
 */
export function exportDetails(p: ExportParams, s: ExportProgress): string {
  const cluster = p.cluster ? `${p.cluster}:` : '';
  const job = s.jobId ? `job ${s.jobId}${s.adopted ? ' (adopted)' : ''}` : 'no job yet';
  const updated = s.updatedAt ? `, as of ${new Date(s.updatedAt).toISOString()}` : '';
  const files = s.totalFiles ? [`- files copied: ${s.copiedFiles ?? 0} of ${s.totalFiles}`] : [];
  const bytes = s.totalBytes ? [`- bundle: ${s.totalBytes} bytes`] : [];
  return [
    `**Export** \`${p.snapshot}\` of ${cluster}${p.db}.${p.collection} with profile \`${p.profile}\``,
    '',
    `- phase: **${s.phase}**`,
    `- Milvus ${job}: **${s.state ?? 'not started'}**, ${s.progress} %${updated}`,
    ...files,
    ...bytes,
    ...(s.reason ? [`- reason: ${s.reason}`] : []),
  ].join('\n');
}
