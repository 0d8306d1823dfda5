import {
  backupInputSchema,
  backupWorkflowId,
  compactionProtectionSeconds,
  flushTimeoutSeconds,
  prepareBackupStart,
} from '../../src/contracts/backup';
import { InputError, parseInput } from '../../src/contracts/parse-input';

describe('backup input schema', () => {
  it('fills every default', () => {
    expect(backupInputSchema.parse({ collection: 'items' })).toEqual({
      collection: 'items',
      db: 'default',
      nameTemplate: '{collection}_{yyyyMMdd_HHmmss}',
      description: '',
      flush: true,
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
    expect(problems({ collection: 'items', compactionProtection: 'soon' })).toEqual(['compactionProtection']);
    expect(new Set(problems({ collection: 'items', compactionProtection: -1 }))).toEqual(
      new Set(['compactionProtection']),
    );
  });

  it('takes durations as strings; the removed seconds fields are unknown keys', () => {
    const parse = (input: object) => backupInputSchema.parse({ collection: 'items', ...input });
    expect(flushTimeoutSeconds(parse({}))).toBe(600);
    expect(flushTimeoutSeconds(parse({ flushTimeout: '15m' }))).toBe(900);
    expect(compactionProtectionSeconds(parse({}))).toBeUndefined();
    expect(compactionProtectionSeconds(parse({ compactionProtection: '1h' }))).toBe(3600);
    const refused = (input: object) => {
      try {
        parseInput(backupInputSchema, { collection: 'items', ...input }, 'backup input');
        return [];
      } catch (err) {
        return (err as InputError).issues;
      }
    };
    expect(refused({ flushTimeoutSeconds: 120 })).toEqual([
      {
        field: 'flushTimeoutSeconds',
        rule: expect.stringMatching(/^unknown key; valid keys: .*flushTimeout,/),
      },
    ]);
    expect(refused({ compactionProtectionSeconds: 60 })).toEqual([
      {
        field: 'compactionProtectionSeconds',
        rule: expect.stringMatching(/^unknown key; valid keys: .*compactionProtection,/),
      },
    ]);
    const problems = (input: object) =>
      backupInputSchema.safeParse({ collection: 'items', ...input }).error?.issues.map((i) => i.message) ??
      [];
    expect(problems({ flushTimeout: '25h' })).toEqual(['must be whole seconds, more than 0 and at most 24h']);
    expect(problems({ compactionProtection: '1500ms' })).toEqual(['must be whole seconds']);
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
