import type { FleetCollectionSummary, FleetResult } from '../../contracts/fleet';
import { renderTable } from '../../shared/text';

function detailText(s: FleetCollectionSummary): string {
  const d = s.detail;
  if (!d) return '';
  if (d.operation === 'backup')
    return `${d.snapshot}${d.rowCount === undefined ? '' : ` (${d.rowCount} rows)`}`;
  if (d.operation === 'retention') {
    const change = d.wouldDrop > 0 ? `would drop ${d.wouldDrop}` : `dropped ${d.dropped}`;
    return `${d.snapshots} snapshots: kept ${d.kept}, ${change}${d.failedDrops ? `, ${d.failedDrops} drops failed` : ''}`;
  }
  if (d.operation === 'export') {
    const files = `${d.totalFiles} files, ${d.totalBytes} bytes`;
    return `${d.snapshot} ${d.alreadyExported ? 'exported before' : 'exported'} (${files})`;
  }
  return `${d.outcome}, RTO ${d.rtoMs ?? '–'} ms, RPO ${d.rpoMs ?? '–'} ms`;
}

/**
 * One line of totals, then one row per collection (the error in place of the detail when it
 * failed, the reason when it was skipped).
 */
export function renderFleetResult(result: FleetResult): string {
  const { totals } = result;
  const head = `fleet ${result.operation} ${result.db}.${result.collectionPattern}: ${totals.done} of ${totals.collections} done, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''} (${result.runs} run${result.runs === 1 ? '' : 's'})`;
  if (result.collections.length === 0) return `${head}\nno collection matched`;
  const rows = result.collections.map((s) => [
    s.collection,
    s.status,
    `${(s.durationMs / 1000).toFixed(1)} s`,
    s.error ? `${s.error.type}: ${s.error.message}` : (s.reason ?? detailText(s)),
  ]);
  return `${head}\n${renderTable(['collection', 'status', 'took', 'result'], rows)}`;
}
