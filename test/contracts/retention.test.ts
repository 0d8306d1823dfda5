import { parseInput } from '../../src/contracts/parse-input';
import {
  busyWaitMs,
  retentionApplyWorkflowId,
  retentionInputSchema,
  retentionWorkflowId,
} from '../../src/contracts/retention';

describe('retention input schema', () => {
  it('fills defaults for a single collection', () => {
    const parsed = retentionInputSchema.parse({ collection: 'items', policy: { keepDaily: 7 } });
    expect(parsed).toMatchObject({
      db: 'default',
      collection: 'items',
      dryRun: false,
      maxConcurrentDrops: 4,
      dropBatchSize: 500,
      policy: { keepDaily: 7, minKeep: 1, timezone: 'UTC', scope: 'project' },
    });
  });

  it('takes busyWait as a duration; the removed busyWaitSeconds is an unknown key', () => {
    const parse = (input: object) =>
      retentionInputSchema.parse({ collection: 'items', policy: { keepLast: 1 }, ...input });
    expect(busyWaitMs(parse({}))).toBe(6 * 3600_000);
    expect(busyWaitMs(parse({ busyWait: '30m' }))).toBe(1800_000);
    expect(() =>
      parseInput(
        retentionInputSchema,
        { collection: 'items', policy: { keepLast: 1 }, busyWaitSeconds: 60 },
        'retention input',
      ),
    ).toThrow(/^invalid retention input: busyWaitSeconds: unknown key; valid keys: .*busyWait$/);
  });

  it('takes exactly one of collection and collectionPattern', () => {
    expect(retentionInputSchema.safeParse({ policy: { keepLast: 1 } }).success).toBe(false);
    expect(
      retentionInputSchema.safeParse({ collection: 'a', collectionPattern: 'a*', policy: { keepLast: 1 } })
        .success,
    ).toBe(false);
    expect(
      retentionInputSchema.safeParse({ collectionPattern: 'items_*', policy: { keepLast: 1 } }).success,
    ).toBe(true);
  });

  it('refuses a pattern without a wildcard (its run id would be the collection run id)', () => {
    const r = retentionInputSchema.safeParse({ collectionPattern: 'items', policy: { keepLast: 1 } });
    expect(r.success).toBe(false);
  });

  it('refuses bad names and an empty policy', () => {
    expect(retentionInputSchema.safeParse({ collection: 'bad-name', policy: { keepLast: 1 } }).success).toBe(
      false,
    );
    expect(retentionInputSchema.safeParse({ collection: 'items', policy: {} }).success).toBe(false);
  });

  it('names runs retention:<db>.<collection-or-pattern>', () => {
    expect(retentionWorkflowId({ db: 'prod', collection: 'items' })).toBe('retention:prod.items');
    expect(retentionWorkflowId({ collectionPattern: 'items_*' })).toBe('retention:default.items_*');
    expect(retentionApplyWorkflowId({ db: 'prod', collection: 'items' })).toBe('retention:prod.items/apply');
  });

  it('a run on a named cluster has the cluster in its id; the apply child serialises runs on every cluster', () => {
    const input = { cluster: 'dr', db: 'prod', collection: 'items' };
    expect(retentionWorkflowId(input)).toBe('retention:dr/prod.items');
    expect(retentionApplyWorkflowId(input)).toBe('retention:prod.items/apply');
    const bad = retentionInputSchema.safeParse({ ...input, cluster: '1dr', policy: { keepLast: 1 } });
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['cluster']);
  });
});
