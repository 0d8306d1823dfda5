import type { RestoreParams, RestoreProgress } from '../contracts/restore';

/**
 * The restore's "current details" in the Temporal UI (Markdown, re-read on every page view): what
 * it restores, its phase, and Milvus's job state and % as last reported, so an operator watching a
 * long restore needs no query. Pure: called whenever the workflow learns something new.
 */
export function restoreDetails(p: RestoreParams, s: RestoreProgress): string {
  const job = s.jobId ? `job ${s.jobId}${s.adopted ? ' (adopted)' : ''}` : 'no job yet';
  const updated = s.updatedAt ? `, as of ${new Date(s.updatedAt).toISOString()}` : '';
  return [
    `**Restore** \`${p.snapshot}\` of ${p.sourceDb}.${p.sourceCollection} → ${p.targetDb}.${p.targetCollection}`,
    '',
    `- phase: **${s.phase}**`,
    `- Milvus ${job}: **${s.state ?? 'not started'}**, ${s.progress} %${updated}`,
    ...(s.reason ? [`- reason: ${s.reason}`] : []),
  ].join('\n');
}
