import {
  DEFAULT_SNAPSHOT_NAME_TEMPLATE,
  resolveSnapshotName,
  templateProblem,
} from '../../src/contracts/snapshot-name-template';

const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 67));

describe('snapshot name template', () => {
  it('renders the default template in UTC', () => {
    expect(
      resolveSnapshotName(DEFAULT_SNAPSHOT_NAME_TEMPLATE, { collection: 'items', db: 'default', at }),
    ).toBe('items_20260102_030405');
  });

  it('supports {db}, literal text and every date token', () => {
    expect(
      resolveSnapshotName('{db}_{collection}_daily_{yyyy_MM_dd}_{HHmmssSSS}', {
        collection: 'c1',
        db: 'prod',
        at,
      }),
    ).toBe('prod_c1_daily_2026_01_02_030405067');
  });

  it('gives the same name for the same time (replay-safe)', () => {
    const ctx = { collection: 'items', db: 'default', at: new Date(at.getTime()) };
    expect(resolveSnapshotName('{collection}_{yyyyMMdd_HHmmss}', ctx)).toBe(
      resolveSnapshotName('{collection}_{yyyyMMdd_HHmmss}', { ...ctx }),
    );
  });

  it('rejects unknown placeholders, unbalanced braces and names Milvus would refuse', () => {
    expect(() => resolveSnapshotName('{collection}_{week}', { collection: 'c', db: 'd', at })).toThrow(
      /unknown placeholder \{week\}/,
    );
    expect(() => resolveSnapshotName('{collection', { collection: 'c', db: 'd', at })).toThrow(/unbalanced/);
    expect(() => resolveSnapshotName('{collection}-{yyyy}', { collection: 'c', db: 'd', at })).toThrow(
      /letters, digits and underscores/,
    );
    expect(() => resolveSnapshotName('{yyyy}_{collection}', { collection: 'c', db: 'd', at })).toThrow(
      /must start with/,
    );
    expect(() =>
      resolveSnapshotName(`{collection}_${'x'.repeat(260)}`, { collection: 'c', db: 'd', at }),
    ).toThrow(/at most 255/);
    expect(() =>
      resolveSnapshotName('{collection}', { collection: 'c', db: 'd', at: new Date(NaN) }),
    ).toThrow(/valid time/);
  });

  it('reports template problems without a concrete time', () => {
    expect(templateProblem(DEFAULT_SNAPSHOT_NAME_TEMPLATE)).toBeUndefined();
    expect(templateProblem('{nope}')).toMatch(/unknown placeholder/);
  });
});
