import { drillDurationsMs, drillInputSchema } from '../../src/contracts/drill';
import { parseInput } from '../../src/contracts/parse-input';

describe('drill input durations', () => {
  const parse = (input: object) => drillInputSchema.parse({ collection: 'items', ...input });
  const problems = (input: object) =>
    drillInputSchema.safeParse({ collection: 'items', ...input }).error?.issues.map((i) => i.message) ?? [];

  it('defaults to 15m / 24h / 1h / 1s', () => {
    expect(drillDurationsMs(parse({}))).toEqual({
      rtoObjectiveMs: 15 * 60_000,
      rpoObjectiveMs: 24 * 3600_000,
      restoreTimeoutMs: 3600_000,
      restorePollIntervalMs: 1000,
    });
  });

  it('takes duration strings (or milliseconds as a number)', () => {
    expect(drillDurationsMs(parse({ rtoObjective: '10m', restorePollInterval: '200ms' }))).toMatchObject({
      rtoObjectiveMs: 600_000,
      restorePollIntervalMs: 200,
    });
    expect(drillDurationsMs(parse({ rtoObjective: 1, restoreTimeout: 90_000 }))).toMatchObject({
      rtoObjectiveMs: 1,
      restoreTimeoutMs: 90_000,
    });
  });

  it.each([
    ['rtoObjectiveMs', 'rtoObjective'],
    ['rpoObjectiveMs', 'rpoObjective'],
    ['restoreTimeoutMs', 'restoreTimeout'],
    ['restorePollIntervalMs', 'restorePollInterval'],
  ])('refuses the removed %s as an unknown key (did you mean %s?)', (removed, field) => {
    expect(() =>
      parseInput(drillInputSchema, { collection: 'items', [removed]: 1000 }, 'drill input'),
    ).toThrow(`invalid drill input: ${removed}: unknown key; did you mean '${field}'?`);
  });

  it('refuses a poll interval under 50ms and a bad duration, naming the rule', () => {
    expect(problems({ restorePollInterval: '10ms' })).toEqual(['must be whole milliseconds, at least 50ms']);
    expect(problems({ rpoObjective: 'soon' })).toEqual([
      'must be a duration such as "30s", "5m", "6h" or "2 days", or milliseconds',
    ]);
  });
});

describe('drill input disaster', () => {
  const issues = (input: object) =>
    drillInputSchema
      .safeParse({ collection: 'items', ...input })
      .error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];

  it("takes 'dropped-collection' on the default cluster and refuses it elsewhere, naming the field", () => {
    expect(drillInputSchema.parse({ collection: 'items', disaster: 'dropped-collection' }).disaster).toBe(
      'dropped-collection',
    );
    expect(issues({ disaster: 'dropped-collection', drCluster: 'dr' })).toEqual([
      "disaster: 'dropped-collection' runs on the default cluster: no cluster, drCluster or source 'bundle'",
    ]);
    expect(issues({ disaster: 'flood' })).toHaveLength(1);
  });
});
