import { formatDuration, type DrillReport, type DrillStep, type ObjectiveCheck } from './report';

/** The drill report for people: what was tested, against which objectives, what differed. */

/** Differing keys listed in the table; the JSON report has them all. */
const KEYS_IN_TABLE = 50;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}

function objectiveRow(label: string, check: ObjectiveCheck): string[] {
  const measured = check.measuredMs === null ? 'not measured' : formatDuration(check.measuredMs);
  return [label, measured, `≤ ${formatDuration(check.objectiveMs)}`, check.status.toUpperCase()];
}

function stepRow(step: DrillStep): string[] {
  const duration = step.durationMs === undefined ? '—' : formatDuration(step.durationMs);
  return [step.name, step.status, duration, step.error ?? step.detail ?? ''];
}

function snapshotLine(report: DrillReport): string {
  const s = report.snapshot;
  if (!s) return 'none (the drill did not get a snapshot)';
  const origin = s.madeByThisDrill
    ? 'made by this drill'
    : report.bundle
      ? `newest off-site bundle, profile ${report.bundle.profile}: ${report.bundle.metadataUri}`
      : 'newest verified snapshot';
  const rows = s.recordedRowCount === null ? 'row count not recorded' : `${s.recordedRowCount} rows recorded`;
  return `\`${s.name}\`, holds the data up to its create_ts ${s.createdAt} (${origin}; ${rows})`;
}

function summary(report: DrillReport): string[] {
  const cluster = report.scratch.cluster ? ` on cluster ${report.scratch.cluster}` : '';
  const scratch = `\`${report.scratch.db}.${report.scratch.collection}\`${cluster} — ${report.scratch.dropped ? 'dropped' : 'NOT confirmed dropped'}`;
  const restore = report.restore
    ? `job ${report.restore.jobId}${report.restore.milvusTimeCostMs !== undefined ? `, Milvus time cost ${formatDuration(report.restore.milvusTimeCostMs)}` : ''}`
    : 'not started';
  return table(
    ['', ''],
    [
      ['Collection', `\`${report.db}.${report.collection}\``],
      ...(report.disaster
        ? [
            [
              'Disaster',
              `${report.disaster}: the scratch was protected, dropped and recovered through its catalog`,
            ],
          ]
        : []),
      ['Snapshot', snapshotLine(report)],
      ['Restore', restore],
      ['Scratch collection', scratch],
      ['Started', report.startedAt],
      ['Finished', `${report.finishedAt} (${formatDuration(report.totalMs)} in all)`],
      ['Workflow', `\`${report.workflowId}\` run \`${report.runId}\``],
    ],
  );
}

function fieldText(f: {
  name: string;
  dataType: string;
  isPrimaryKey: boolean;
  typeParams: Record<string, string>;
}) {
  const params = Object.entries(f.typeParams).map(([k, v]) => `${k}=${v}`);
  return `${f.name} ${f.dataType}${f.isPrimaryKey ? ' (primary key)' : ''}${params.length ? ` [${params.join(', ')}]` : ''}`;
}

function comparedSection(report: DrillReport): string[] {
  const v = report.verification;
  if (!v) return ['Nothing was compared: the drill stopped before verification.'];
  const schemaResult = v.schema.equal ? 'equal' : `DIFFERENT (${v.schema.differences.length} differences)`;
  const { expected, actual, sourceNow } = v.rowCount;
  const reference =
    expected !== null
      ? `the snapshot's recorded ${expected}`
      : `the source's current ${sourceNow} (no recorded count)`;
  const lines = [
    `- **Schema** (${v.schema.fields.length} fields: ${v.schema.fields.map(fieldText).join('; ')}; shards: ${v.schema.shardsNum}): ${schemaResult}.`,
    `- **Row count**: scratch count(*) ${actual} against ${reference}: ${v.rowCount.equal ? 'equal' : 'DIFFERENT'}.`,
  ];
  if (v.sample.status === 'skipped') {
    lines.push(`- **Rows**: not compared — ${v.sample.skippedReason}.`);
    return lines;
  }
  const result = v.sample.differing.length === 0 ? 'all equal' : `${v.sample.differing.length} DIFFER`;
  lines.push(
    `- **Rows**: ${v.sample.compared} primary keys (${v.sample.keyField}) drawn from ${v.sample.keysScanned} keys of the source, seeded by the workflow id; fields ${v.sample.fields.join(', ')} (vectors included) compared between scratch and source: ${result}.`,
    `  The snapshot's rows cannot be read directly: the reference is the source collection, whose row count still matches the snapshot's.`,
  );
  return lines;
}

function differedSection(report: DrillReport): string[] {
  const differing = report.verification?.sample.differing ?? [];
  if (report.outcome === 'pass') return [];
  const lines = ['', '## What went wrong', '', ...report.reasons.map((r) => `- ${r}`)];
  if (differing.length === 0) return lines;
  const shown = differing.slice(0, KEYS_IN_TABLE);
  lines.push(
    '',
    ...table(
      ['Key', 'Problem', 'Fields that differ'],
      shown.map((d) => [d.key, d.problem, d.fields.join(', ') || '—']),
    ),
  );
  if (differing.length > shown.length) {
    lines.push('', `…and ${differing.length - shown.length} more keys (all in the JSON report).`);
  }
  return lines;
}

export function renderDrillReport(report: DrillReport): string {
  const title = `# DR drill ${report.outcome.toUpperCase()}: ${report.db}.${report.collection}`;
  const warnings = report.warnings.length
    ? ['', '## Warnings', '', ...report.warnings.map((w) => `- ${w}`)]
    : [];
  return [
    title,
    '',
    ...summary(report),
    '',
    '## Objectives',
    '',
    ...table(
      ['Objective', 'Measured', 'Target', 'Result'],
      [
        objectiveRow(`RTO (${report.disaster ? 'recovery' : 'restore'} started → verified)`, report.rto),
        objectiveRow('RPO (age of create_ts at restore)', report.rpo),
      ],
    ),
    '',
    '## Steps',
    '',
    ...table(['Step', 'Status', 'Duration', 'Notes'], report.steps.map(stepRow)),
    '',
    '## What was compared',
    '',
    ...comparedSection(report),
    ...differedSection(report),
    ...warnings,
    '',
  ].join('\n');
}
