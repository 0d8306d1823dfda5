import { backupInputSchema, backupWorkflowId, prepareBackupStart } from '../../src/contracts/backup';

describe('backup input schema', () => {
  it('fills every default', () => {
    expect(backupInputSchema.parse({ collection: 'items' })).toEqual({
      collection: 'items',
      db: 'default',
      nameTemplate: '{collection}_{yyyyMMdd_HHmmss}',
      description: '',
      flush: true,
      flushTimeoutSeconds: 600,
      labels: {},
      ifExists: 'fail',
      verifyRowsByRestore: false,
    });
  });

  it('rejects bad names, templates, label keys and ifExists values, naming the field', () => {
    const problems = (input: unknown) =>
      backupInputSchema.safeParse(input).error?.issues.map((i) => i.path.join('.')) ?? [];
    expect(problems({ collection: 'bad-name' })).toEqual(['collection']);
    expect(problems({ collection: 'items', snapshot: '1abc' })).toEqual(['snapshot']);
    expect(problems({ collection: 'items', nameTemplate: '{collection}_{week}' })).toEqual(['nameTemplate']);
    expect(problems({ collection: 'items', labels: { 'bad key!': 'x' } })).toEqual(['labels.bad key!']);
    expect(problems({ collection: 'items', ifExists: 'replace' })).toEqual(['ifExists']);
    expect(problems({ collection: 'items', compactionProtectionSeconds: -1 })).toEqual([
      'compactionProtectionSeconds',
    ]);
  });

  it('ignores the template when an exact snapshot name is given', () => {
    expect(
      backupInputSchema.safeParse({ collection: 'items', snapshot: 's1', nameTemplate: '{nope}' }).success,
    ).toBe(true);
  });

  it('documents every field for the generic CLI', () => {
    for (const [name, field] of Object.entries(backupInputSchema.shape)) {
      expect([name, field.description]).toEqual([name, expect.any(String)]);
    }
  });
});

describe('backup workflow id and client start', () => {
  it('is deterministic per (db, collection, snapshot)', () => {
    expect(backupWorkflowId({ db: 'prod', collection: 'items', snapshot: 's1' })).toBe(
      'backup:prod.items:s1',
    );
    expect(backupWorkflowId({ collection: 'items', snapshot: 's1' })).toBe('backup:default.items:s1');
  });

  it('fixes the snapshot name from the template at start time, in UTC', () => {
    const now = new Date(Date.UTC(2026, 10, 26, 23, 59, 58));
    const { input, workflowId } = prepareBackupStart({ collection: 'items', db: 'prod' }, now);
    expect(input.snapshot).toBe('items_20261126_235958');
    expect(workflowId).toBe('backup:prod.items:items_20261126_235958');
    expect(prepareBackupStart({ collection: 'items', snapshot: 'fixed' }, now).input.snapshot).toBe('fixed');
  });

  it('throws on invalid input before anything starts', () => {
    expect(() => prepareBackupStart({ collection: '' })).toThrow();
  });
});
