import {
  drillHistoryQuery,
  renderDrillHistory,
  sparkline,
  type DrillHistoryRow,
} from '../../src/lookups/drill-history';

function row(
  minute: number,
  result: string,
  rtoMs?: number,
  extra: Partial<DrillHistoryRow> = {},
): DrillHistoryRow {
  return {
    workflowId: `drill:default.docs:${minute}`,
    runId: `run-${minute}`,
    status: result === 'running' ? 'RUNNING' : 'COMPLETED',
    startTime: new Date(Date.UTC(2026, 0, 1, 2, minute)),
    db: 'default',
    collection: 'docs',
    snapshot: `docs_${minute}`,
    result,
    rtoMs,
    rpoMs: 500,
    reasons: [],
    ...extra,
  };
}

describe('drillHistoryQuery', () => {
  it('selects drills, optionally of one database and collection', () => {
    expect(drillHistoryQuery()).toBe("SnapshotOperation = 'drill'");
    expect(drillHistoryQuery({ db: 'prod', collection: 'docs' })).toBe(
      "SnapshotOperation = 'drill' AND MilvusDb = 'prod' AND MilvusCollection = 'docs'",
    );
  });

  it('refuses names that could break out of the query', () => {
    expect(() => drillHistoryQuery({ collection: "x' OR 1=1 --" })).toThrow();
  });
});

describe('sparkline', () => {
  it('maps the smallest value to the lowest bar and the largest to the highest', () => {
    expect(sparkline([1000, 2000, 3000, 8000])).toBe('▁▂▃█');
    expect(sparkline([5, 5])).toBe('▁▁');
    expect(sparkline([])).toBe('');
  });
});

describe('renderDrillHistory', () => {
  // Newest first, as drillHistory returns them.
  const rows = [
    row(40, 'fail', 3000, { reasons: ['3 of 200 sampled keys differ (id): 1, 8, 15'] }),
    row(30, 'cancelled'),
    row(20, 'pass', 2000),
    row(10, 'pass', 1000),
  ];

  it('prints one line per drill, newest first, with RTO against the previous drill of the collection', () => {
    const lines = renderDrillHistory(rows).split('\n');
    expect(lines[0]).toMatch(
      /^STARTED \(UTC\)\s+COLLECTION\s+RESULT\s+RTO\s+vs PREV\s+RPO\s+SNAPSHOT\s+WORKFLOW ID$/,
    );
    expect(lines[1]).toMatch(
      /^2026-01-01 02:40:00\s+default\.docs\s+FAIL\s+3\.0 s\s+↑ \+50%\s+500 ms\s+docs_40/,
    );
    expect(lines[2]).toMatch(/^2026-01-01 02:30:00\s+default\.docs\s+CANCELLED\s+—\s+500 ms/);
    expect(lines[3]).toMatch(/PASS\s+2\.0 s\s+↑ \+100%/);
    expect(lines[4]).toMatch(/PASS\s+1\.0 s\s+500 ms/);
  });

  it('ends with the RTO trend per collection and why drills failed', () => {
    const text = renderDrillHistory(rows);
    expect(text).toContain(
      'RTO trend default.docs (oldest → newest): ▁▅█  first 1.0 s, latest 3.0 s (↑ +200%); 2/4 drills passed',
    );
    expect(text).toContain(
      'Why drills failed:\n  drill:default.docs:40: 3 of 200 sampled keys differ (id): 1, 8, 15',
    );
  });

  it('says so when there are no drills', () => {
    expect(renderDrillHistory([])).toBe('No drills found.');
  });
});
