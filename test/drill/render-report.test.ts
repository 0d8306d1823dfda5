import type { CollectionComparison } from '../../src/drill/compare';
import { buildDrillReport, formatDuration, type DrillFacts } from '../../src/drill/report';
import { renderDrillReport } from '../../src/drill/render-report';

function verification(overrides: Partial<CollectionComparison> = {}): CollectionComparison {
  return {
    equal: true,
    schema: {
      equal: true,
      fields: [
        { name: 'id', dataType: 'Int64', isPrimaryKey: true, typeParams: {} },
        { name: 'vector', dataType: 'FloatVector', isPrimaryKey: false, typeParams: { dim: '64' } },
      ],
      shardsNum: 1,
      differences: [],
    },
    rowCount: { expected: 3000, actual: 3000, sourceNow: 3000, equal: true },
    sample: {
      status: 'compared',
      keyField: 'id',
      fields: ['id', 'vector'],
      keysScanned: 3000,
      compared: 200,
      differing: [],
    },
    ...overrides,
  };
}

function facts(overrides: Partial<DrillFacts> = {}): DrillFacts {
  return {
    workflowId: 'drill:default.items:t1',
    runId: 'run-1',
    db: 'default',
    collection: 'items',
    source: 'backup',
    scratch: { db: 'default', collection: 'drill_scratch_items_abc', dropped: true },
    snapshot: {
      name: 'items_drill_20260101_000000_abc',
      createTs: Date.parse('2026-01-01T00:00:00Z'),
      createdAt: '2026-01-01T00:00:00.000Z',
      recordedRowCount: 3000,
      madeByThisDrill: true,
    },
    restore: { jobId: '42', milvusTimeCostMs: 1500 },
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:05.000Z',
    totalMs: 5000,
    cancelled: false,
    steps: [
      { name: 'backup', status: 'ok', durationMs: 300 },
      { name: 'restore', status: 'ok', durationMs: 2000 },
      { name: 'verify', status: 'ok', durationMs: 400 },
      { name: 'cleanup', status: 'ok', durationMs: 100 },
    ],
    verification: verification(),
    rtoMs: 2400,
    rpoMs: 350,
    rtoObjectiveMs: 60_000,
    rpoObjectiveMs: 3_600_000,
    ...overrides,
  };
}

describe('buildDrillReport', () => {
  it('passes when every step ran, the scratch matched and both objectives held', () => {
    const report = buildDrillReport(facts());
    expect(report.outcome).toBe('pass');
    expect(report.reasons).toEqual([]);
    expect(report.rto).toEqual({ measuredMs: 2400, objectiveMs: 60_000, status: 'pass' });
    expect(report.rpo.status).toBe('pass');
  });

  it('fails on a missed RTO objective and says by how much', () => {
    const report = buildDrillReport(facts({ rtoObjectiveMs: 1000 }));
    expect(report.outcome).toBe('fail');
    expect(report.rto.status).toBe('fail');
    expect(report.reasons).toEqual(['RTO 2.4 s exceeds the objective 1.0 s']);
  });

  it('fails naming the differing keys', () => {
    const differing = Array.from({ length: 12 }, (_, i) => ({
      key: String(i),
      problem: 'fields-differ' as const,
      fields: ['vector'],
    }));
    const v = verification({ equal: false, sample: { ...verification().sample, differing } });
    const report = buildDrillReport(facts({ verification: v }));
    expect(report.outcome).toBe('fail');
    expect(report.reasons[0]).toBe(
      '12 of 200 sampled keys differ (id): 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 …and 2 more',
    );
  });

  it('fails a drill whose restore failed, with RTO not measured', () => {
    const report = buildDrillReport(
      facts({
        steps: [
          { name: 'backup', status: 'ok', durationMs: 300 },
          { name: 'restore', status: 'failed', durationMs: 900, error: 'copy segment task failed' },
          { name: 'verify', status: 'skipped' },
          { name: 'cleanup', status: 'ok', durationMs: 100 },
        ],
        restore: null,
        verification: null,
        rtoMs: null,
      }),
    );
    expect(report.outcome).toBe('fail');
    expect(report.rto.status).toBe('not-measured');
    expect(report.reasons).toEqual(['restore failed: copy segment task failed']);
  });

  it('fails when cleanup could not confirm the scratch collection is gone', () => {
    const report = buildDrillReport(
      facts({ scratch: { db: 'default', collection: 'drill_scratch_x', dropped: false } }),
    );
    expect(report.reasons).toEqual(['the scratch collection default.drill_scratch_x may be left behind']);
  });

  it('warns, without failing, when rows could not be compared', () => {
    const sample = { ...verification().sample, status: 'skipped' as const, skippedReason: 'source changed' };
    const report = buildDrillReport(facts({ verification: verification({ sample }) }));
    expect(report.outcome).toBe('pass');
    expect(report.warnings).toEqual(['rows not compared: source changed']);
  });
});

describe('renderDrillReport', () => {
  it('shows the outcome, the objectives, each step and what was compared', () => {
    const md = renderDrillReport(buildDrillReport(facts()));
    expect(md).toMatch(/^# DR drill PASS: default\.items/);
    expect(md).toContain('| RTO (restore started → verified) | 2.4 s | ≤ 1 min | PASS |');
    expect(md).toContain('| RPO (age of create_ts at restore) | 350 ms | ≤ 1 h | PASS |');
    expect(md).toContain('| restore | ok | 2.0 s |');
    expect(md).toContain('vector FloatVector [dim=64]');
    expect(md).toContain("scratch count(*) 3000 against the snapshot's recorded 3000: equal");
    expect(md).toContain('200 primary keys (id) drawn from 3000 keys');
    expect(md).not.toContain('What went wrong');
  });

  it('lists reasons and a table of differing keys on failure', () => {
    const differing = [
      { key: '17', problem: 'fields-differ' as const, fields: ['vector', 'title'] },
      { key: '99', problem: 'missing-in-scratch' as const, fields: [] },
    ];
    const v = verification({ equal: false, sample: { ...verification().sample, differing } });
    const md = renderDrillReport(buildDrillReport(facts({ verification: v })));
    expect(md).toMatch(/^# DR drill FAIL/);
    expect(md).toContain('## What went wrong');
    expect(md).toContain('| 17 | fields-differ | vector, title |');
    expect(md).toContain('| 99 | missing-in-scratch | — |');
  });
});

describe('formatDuration', () => {
  it('reads naturally from milliseconds to hours', () => {
    expect([850, 2400, 125_000, 3_600_000, 5_400_000].map(formatDuration)).toEqual([
      '850 ms',
      '2.4 s',
      '2 min 5 s',
      '1 h',
      '1 h 30 min',
    ]);
  });
});
