import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { milvusName } from '../milvus/names';
import {
  DRILL_RESULT,
  DRILL_RPO_MS,
  DRILL_RTO_MS,
  MILVUS_COLLECTION,
  MILVUS_DB,
  MILVUS_SNAPSHOT,
} from '../temporal/search-attributes';
import { formatDuration } from '../drill/report';
import { renderTable } from '../shared/text';

/**
 * Past drills, read back from Temporal's visibility store (search attributes and memo that the
 * drill workflow sets), so history needs no database of its own and failed drills count too.
 */

export interface DrillHistoryRow {
  workflowId: string;
  runId: string;
  /** Temporal's status of the run: COMPLETED, CANCELLED, FAILED, RUNNING, … */
  status: string;
  startTime: Date;
  closeTime?: Date;
  db: string;
  collection: string;
  snapshot?: string;
  /** pass | fail | cancelled from the drill; running, or error when the run ended without a report. */
  result: string;
  rtoMs?: number;
  rpoMs?: number;
  rtoObjectiveMs?: number;
  /** First reasons of a failed drill, from the memo. */
  reasons: string[];
}

export interface DrillHistoryOptions {
  collection?: string;
  db?: string;
  /** Newest drills returned (default 20). */
  limit?: number;
}

interface DrillMemo {
  outcome?: string;
  reasons?: string[];
  rtoObjectiveMs?: number;
}

export function drillHistoryQuery(options: Pick<DrillHistoryOptions, 'collection' | 'db'> = {}): string {
  const clauses = ["SnapshotOperation = 'drill'"];
  // Names are validated identifiers, so they cannot break out of the quotes.
  if (options.db) clauses.push(`MilvusDb = '${milvusName.parse(options.db)}'`);
  if (options.collection) clauses.push(`MilvusCollection = '${milvusName.parse(options.collection)}'`);
  return clauses.join(' AND ');
}

function resultOf(info: WorkflowExecutionInfo, recorded: string | undefined): string {
  if (recorded) return recorded;
  if (info.status.name === 'RUNNING') return 'running';
  return 'error';
}

export function toDrillHistoryRow(info: WorkflowExecutionInfo): DrillHistoryRow {
  const sa = info.typedSearchAttributes;
  const memo = (info.memo?.drill ?? {}) as DrillMemo;
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    status: info.status.name,
    startTime: info.startTime,
    closeTime: info.closeTime,
    db: sa.get(MILVUS_DB) ?? '',
    collection: sa.get(MILVUS_COLLECTION) ?? '',
    snapshot: sa.get(MILVUS_SNAPSHOT),
    result: resultOf(info, sa.get(DRILL_RESULT)),
    rtoMs: sa.get(DRILL_RTO_MS),
    rpoMs: sa.get(DRILL_RPO_MS),
    rtoObjectiveMs: memo.rtoObjectiveMs,
    reasons: memo.reasons ?? [],
  };
}

/** The newest drills first (at most `limit`), optionally of one collection. */
export async function drillHistory(
  client: Client,
  options: DrillHistoryOptions = {},
): Promise<DrillHistoryRow[]> {
  const limit = options.limit ?? 20;
  const rows: DrillHistoryRow[] = [];
  for await (const info of client.workflow.list({ query: drillHistoryQuery(options), pageSize: limit })) {
    rows.push(toDrillHistoryRow(info));
    if (rows.length >= limit) break;
  }
  return rows.sort((a, b) => b.startTime.getTime() - a.startTime.getTime());
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** A one-line chart of the values, oldest first. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const [min, max] = [Math.min(...values), Math.max(...values)];
  const span = max - min || 1;
  return values.map((v) => SPARKS[Math.round(((v - min) / span) * (SPARKS.length - 1))]).join('');
}

function change(current: number | undefined, previous: number | undefined): string {
  if (current === undefined || previous === undefined || previous === 0) return '';
  const pct = Math.round(((current - previous) / previous) * 100);
  if (pct === 0) return '=';
  return pct > 0 ? `↑ +${pct}%` : `↓ ${pct}%`;
}

/** Per collection, oldest → newest: a sparkline of measured RTOs and the latest against the first. */
function trendLines(rows: readonly DrillHistoryRow[]): string[] {
  const byCollection = new Map<string, DrillHistoryRow[]>();
  for (const row of [...rows].reverse()) {
    const key = `${row.db}.${row.collection}`;
    byCollection.set(key, [...(byCollection.get(key) ?? []), row]);
  }
  const lines: string[] = [];
  for (const [collection, runs] of byCollection) {
    const rtos = runs.map((r) => r.rtoMs).filter((v): v is number => v !== undefined);
    if (rtos.length === 0) continue;
    const [first, last] = [rtos[0]!, rtos[rtos.length - 1]!];
    const passed = runs.filter((r) => r.result === 'pass').length;
    lines.push(
      `RTO trend ${collection} (oldest → newest): ${sparkline(rtos)}  first ${formatDuration(first)}, latest ${formatDuration(last)}${rtos.length > 1 ? ` (${change(last, first)})` : ''}; ${passed}/${runs.length} drills passed`,
    );
  }
  return lines;
}

/** A terminal table, newest first, with each drill's RTO against the previous drill of its collection. */
export function renderDrillHistory(rows: readonly DrillHistoryRow[]): string {
  if (rows.length === 0) return 'No drills found.';
  const previousRto = new Map<DrillHistoryRow, number | undefined>();
  const lastSeen = new Map<string, number | undefined>();
  for (const row of [...rows].reverse()) {
    const key = `${row.db}.${row.collection}`;
    previousRto.set(row, lastSeen.get(key));
    if (row.rtoMs !== undefined) lastSeen.set(key, row.rtoMs);
  }
  const header = [
    'STARTED (UTC)',
    'COLLECTION',
    'RESULT',
    'RTO',
    'vs PREV',
    'RPO',
    'SNAPSHOT',
    'WORKFLOW ID',
  ];
  const body = rows.map((r) => [
    r.startTime.toISOString().replace('T', ' ').slice(0, 19),
    `${r.db}.${r.collection}`,
    r.result.toUpperCase(),
    r.rtoMs === undefined ? '—' : formatDuration(r.rtoMs),
    change(r.rtoMs, previousRto.get(r)),
    r.rpoMs === undefined ? '—' : formatDuration(r.rpoMs),
    r.snapshot ?? '—',
    r.workflowId,
  ]);
  const failures = rows
    .filter((r) => r.reasons.length > 0)
    .map((r) => `  ${r.workflowId}: ${r.reasons.join('; ')}`);
  return [
    renderTable(header, body),
    '',
    ...trendLines(rows),
    ...(failures.length ? ['', 'Why drills failed:', ...failures] : []),
  ].join('\n');
}
