import {
  formatSnapshotDescription,
  isMadeByRun,
  parseSnapshotMarker,
  snapshotDescriptionText,
} from '../../src/contracts/snapshot-marker';

describe('snapshot marker', () => {
  it('round-trips labels, rows and the creating run through the description', () => {
    const description = formatSnapshotDescription('nightly backup', {
      labels: { env: 'prod', tier: 'gold' },
      rows: 1200,
      flushed: true,
      workflowId: 'backup:default.items:items_20260101_000000',
      runId: 'run-1',
    });
    expect(description.startsWith('nightly backup [msw:{')).toBe(true);
    const marker = parseSnapshotMarker(description);
    expect(marker).toMatchObject({
      v: 1,
      createdBy: 'milvus-snapshot-worker',
      labels: { env: 'prod', tier: 'gold' },
      rows: 1200,
      flushed: true,
    });
    expect(snapshotDescriptionText(description)).toBe('nightly backup');
    expect(
      isMadeByRun(marker, { workflowId: 'backup:default.items:items_20260101_000000', runId: 'run-1' }),
    ).toBe(true);
    expect(
      isMadeByRun(marker, { workflowId: 'backup:default.items:items_20260101_000000', runId: 'run-2' }),
    ).toBe(false);
  });

  it('works with an empty human text and labels containing brackets', () => {
    const description = formatSnapshotDescription('', { labels: { note: 'a]b [msw:{x}]' } });
    expect(description.startsWith('[msw:')).toBe(true);
    expect(parseSnapshotMarker(description)?.labels).toEqual({ note: 'a]b [msw:{x}]' });
    expect(snapshotDescriptionText(description)).toBe('');
  });

  it('finds the marker when the human text itself mentions "[msw:"', () => {
    const description = formatSnapshotDescription('copied from [msw:{"v":2}] notes', { labels: { a: 'b' } });
    expect(parseSnapshotMarker(description)?.labels).toEqual({ a: 'b' });
    expect(snapshotDescriptionText(description)).toBe('copied from [msw:{"v":2}] notes');
  });

  it('does not claim snapshots made by others or with damaged markers', () => {
    expect(parseSnapshotMarker('daily_backup_20240101')).toBeUndefined();
    expect(parseSnapshotMarker('')).toBeUndefined();
    expect(parseSnapshotMarker(undefined)).toBeUndefined();
    expect(parseSnapshotMarker('x [msw:{"v":1,"createdBy":"someone-else","labels":{}}]')).toBeUndefined();
    expect(parseSnapshotMarker('x [msw:{"v":1,"createdBy":"milvus-snapshot-worker"')).toBeUndefined();
    expect(parseSnapshotMarker('x [msw:not json]')).toBeUndefined();
    expect(snapshotDescriptionText('plain text')).toBe('plain text');
  });

  it('defaults labels to empty and tolerates fields added by later versions', () => {
    const marker = parseSnapshotMarker('[msw:{"v":1,"createdBy":"milvus-snapshot-worker","future":true}]');
    expect(marker?.labels).toEqual({});
    expect(marker?.rows).toBeUndefined();
  });
});
