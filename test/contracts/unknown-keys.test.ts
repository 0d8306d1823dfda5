import { backupInputSchema } from '../../src/contracts/backup';
import { drillInputSchema } from '../../src/contracts/drill';
import { InputError, parseInput } from '../../src/contracts/parse-input';
import { restoreInputSchema } from '../../src/contracts/restore';
import { retentionInputSchema } from '../../src/contracts/retention';
import { scheduleOptionsSchema } from '../../src/contracts/schedule';
import { closestName } from '../../src/shared/closest-name';

/** What parsing says, or the error's class and message: a TypeError here would be a bug. */
function refusal(schema: Parameters<typeof parseInput>[0], raw: unknown): string {
  try {
    parseInput(schema, raw, 'input');
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
  throw new Error('accepted');
}

describe('unknown keys in inputs', () => {
  it('a typo in the retention policy is refused, naming the key and the valid one meant', () => {
    const message = refusal(retentionInputSchema, {
      collection: 'docs',
      policy: { keepLast: 1, keepWithn: '30d' },
    });
    expect(message).toBe("invalid input: policy.keepWithn: unknown key; did you mean 'keepWithin'?");
  });

  it('a key far from every valid one lists the valid keys', () => {
    const message = refusal(retentionInputSchema, { collection: 'docs', policy: { keepForever: true } });
    expect(message).toContain('policy.keepForever: unknown key; valid keys: keepLast, keepHourly');
  });

  it.each([
    ['backup', backupInputSchema, { collection: 'docs', flushTimout: '1m' }, 'flushTimout', 'flushTimeout'],
    [
      'restore',
      restoreInputSchema,
      { snapshot: 's', sourceCollection: 'a', targetCollection: 'b', verify: { sampleSise: 5 } },
      'verify.sampleSise',
      'sampleSize',
    ],
    [
      'retention',
      retentionInputSchema,
      { colection: 'docs', policy: { keepLast: 1 } },
      'colection',
      'collection',
    ],
    ['drill', drillInputSchema, { collection: 'docs', rtoObjectve: '5m' }, 'rtoObjectve', 'rtoObjective'],
    ['schedule', scheduleOptionsSchema, { every: '1h', timezon: 'UTC' }, 'timezon', 'timezone'],
  ])('%s input: an unknown key is refused with the nearest valid one', (_name, schema, raw, field, near) => {
    expect(refusal(schema, raw)).toContain(`${field}: unknown key; did you mean '${near}'?`);
  });

  it('__proto__ and constructor from JSON are unknown keys, at the top and nested', () => {
    const raw = JSON.parse(
      '{"collection":"docs","__proto__":{"dryRun":true},"constructor":1,"policy":{"keepLast":1,"__proto__":{"keepLast":9}}}',
    );
    const message = refusal(retentionInputSchema, raw);
    expect(message).toContain('__proto__: unknown key; valid keys: cluster, db, collection');
    expect(message).toContain('constructor: unknown key; valid keys: cluster, db, collection');
    expect(message).toContain('policy.__proto__: unknown key; valid keys: keepLast');
  });

  it('labels are a map: any label key is fine, unknown keys inside are not judged', () => {
    const parsed = parseInput(backupInputSchema, { collection: 'docs', labels: { keepWithn: 'x' } }, 'input');
    expect(parsed.labels).toEqual({ keepWithn: 'x' });
  });

  it('the removed numeric duration fields (0.9.0) are unknown keys: nothing runs with them', () => {
    const fields = (schema: Parameters<typeof parseInput>[0], raw: object) => {
      try {
        parseInput(schema, raw, 'input');
        return [];
      } catch (err) {
        return (err as InputError).issues.map((i) => i.field);
      }
    };
    expect(
      fields(backupInputSchema, {
        collection: 'docs',
        flushTimeoutSeconds: 60,
        compactionProtectionSeconds: 30,
      }),
    ).toEqual(['flushTimeoutSeconds', 'compactionProtectionSeconds']);
    expect(
      fields(retentionInputSchema, { collection: 'docs', policy: { keepLast: 1 }, busyWaitSeconds: 5 }),
    ).toEqual(['busyWaitSeconds']);
    expect(
      fields(drillInputSchema, {
        collection: 'docs',
        rtoObjectiveMs: 1000,
        rpoObjectiveMs: 2000,
        restoreTimeoutMs: 3000,
        restorePollIntervalMs: 100,
      }),
    ).toEqual(['rtoObjectiveMs', 'rpoObjectiveMs', 'restoreTimeoutMs', 'restorePollIntervalMs']);
  });
});

describe('closestName', () => {
  it.each([
    ['keepWithn', 'keepWithin'],
    ['keepdaily', 'keepDaily'],
    ['colleciton', 'collection'],
    ['sampleSise', 'sampleSize'],
  ])('%s → %s', (typed, meant) => {
    expect(closestName(typed, ['keepWithin', 'keepDaily', 'collection', 'sampleSize', 'keepLast'])).toBe(
      meant,
    );
  });

  it('nothing when no name is close', () => {
    expect(closestName('keepForever', ['keepLast', 'keepDaily', 'keepWithin'])).toBeUndefined();
  });
});
