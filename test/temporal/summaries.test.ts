import { activitySummary, workflowSummary } from '../../src/temporal/summaries';

describe('UI summaries derived from inputs', () => {
  it.each([
    [
      'backupWorkflow',
      { collection: 'docs', snapshot: 'docs_20261130_020000' },
      'backup default.docs → docs_20261130_020000',
    ],
    [
      'backupWorkflow',
      { db: 'prod', collection: 'docs', nameTemplate: '{db}_{collection}_{yyyyMMdd}' },
      'backup prod.docs → prod_docs_{yyyyMMdd}',
    ],
    ['backupWorkflow', { collection: 'docs' }, 'backup default.docs → docs_{yyyyMMdd_HHmmss}'],
    [
      'restoreWorkflow',
      { snapshot: 's1', sourceCollection: 'docs', targetCollection: 'docs_r', targetDb: 'dr' },
      'restore s1 of default.docs → dr.docs_r',
    ],
    [
      'retentionWorkflow',
      { collectionPattern: 'items_*', dryRun: true },
      'retention default.items_* (dry run)',
    ],
    [
      'retentionApplyWorkflow',
      { collection: 'items_1', dryRun: true },
      'retention default.items_1 (dry run)',
    ],
    [
      'drillWorkflow',
      { collection: 'docs', source: 'latest' },
      'drill default.docs from the newest verified snapshot',
    ],
    ['drillWorkflow', { collection: 'docs' }, 'drill default.docs from a fresh backup'],
    ['exportWorkflow', { collection: 'docs', snapshot: 's1' }, 'export default.docs @ s1'],
  ])('%s %j → %s', (type, input, summary) => {
    expect(workflowSummary(type, input)).toBe(summary);
  });

  it.each([
    ['flushCollection', { db: 'default', collection: 'docs' }, 'flush default.docs'],
    [
      'createSnapshot',
      { db: 'default', collection: 'docs', snapshot: 's1' },
      'create snapshot default.docs @ s1',
    ],
    [
      'waitForRestoreJob',
      { jobId: '42', target: { db: 'default', collection: 'r' } },
      'wait for restore into default.r job 42',
    ],
    [
      'startOrAdoptRestoreJob',
      { snapshot: 's1', targetDb: 'default', targetCollection: 'r' },
      'start or adopt restore s1 → default.r',
    ],
    ['listSnapshotsInUseByRestore', {}, 'list snapshots restores are reading'],
    ['copySnapshotFiles', { db: 'default', collection: 'docs' }, 'copy snapshot files default.docs'],
  ])('activity %s %j → %s', (type, input, summary) => {
    expect(activitySummary(type, [input])).toBe(summary);
  });

  it('is one line of at most 200 characters', () => {
    const summary = workflowSummary('backupWorkflow', { collection: 'c'.repeat(300) });
    expect(summary.length).toBe(200);
    expect(activitySummary('flushCollection', [{ collection: 'a\nb' }])).toBe('flush default.a b');
  });
});
