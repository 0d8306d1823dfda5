import {
  compareRows,
  compareSchemas,
  indexRows,
  keysFilter,
  pickSampleKeys,
  seedFrom,
  valuesEqual,
} from '../../src/drill/compare';
import type { CollectionSchemaInfo } from '../../src/milvus/gateway';

function schema(dim: string, extra: CollectionSchemaInfo['fields'] = []): CollectionSchemaInfo {
  return {
    db: 'default',
    collection: 'items',
    shardsNum: 1,
    description: '',
    fields: [
      { name: 'id', dataType: 'Int64', isPrimaryKey: true, autoId: false, typeParams: {} },
      { name: 'vector', dataType: 'FloatVector', isPrimaryKey: false, autoId: false, typeParams: { dim } },
      ...extra,
    ],
  };
}

describe('pickSampleKeys', () => {
  const keys = Array.from({ length: 1000 }, (_, i) => String(i * 3));

  it('draws the same keys for the same seed whatever the input order', () => {
    const seed = seedFrom('drill:default.items:1');
    const a = pickSampleKeys(keys, 25, seed);
    const b = pickSampleKeys([...keys].reverse(), 25, seed);
    expect(a).toEqual(b);
    expect(a).toHaveLength(25);
    expect(new Set(a).size).toBe(25);
    for (const k of a) expect(keys).toContain(k);
  });

  it('draws different keys for another seed', () => {
    const a = pickSampleKeys(keys, 25, seedFrom('drill:a'));
    const b = pickSampleKeys(keys, 25, seedFrom('drill:b'));
    expect(a).not.toEqual(b);
  });

  it('takes every key, sorted numerically, when there are no more than asked for', () => {
    expect(pickSampleKeys(['10', '9', '100', '9'], 5, 1)).toEqual(['9', '10', '100']);
  });
});

describe('compareSchemas', () => {
  it('is equal for identical schemas and lists the fields compared', () => {
    const result = compareSchemas(schema('64'), schema('64'));
    expect(result.equal).toBe(true);
    expect(result.fields.map((f) => f.name)).toEqual(['id', 'vector']);
  });

  it('names a changed dimension, a missing field and an extra field', () => {
    const title = { name: 'title', dataType: 'VarChar', isPrimaryKey: false, autoId: false, typeParams: {} };
    const result = compareSchemas(schema('64', [title]), schema('32', [{ ...title, name: 'other' }]));
    expect(result.equal).toBe(false);
    expect(result.differences).toEqual([
      'field vector: source FloatVector (dim=64), scratch FloatVector (dim=32)',
      'field title missing in scratch',
      'field other only in scratch',
    ]);
  });
});

describe('valuesEqual and compareRows', () => {
  it('compares vectors, JSON and bytes deeply', () => {
    expect(valuesEqual([0.1, 0.2], [0.1, 0.2])).toBe(true);
    expect(valuesEqual([0.1, 0.2], [0.1, 0.25])).toBe(false);
    expect(valuesEqual({ a: [1, 'x'] }, { a: [1, 'x'] })).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(valuesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(valuesEqual('5', 5)).toBe(false);
  });

  it('names missing rows and the fields that differ, per key', () => {
    const source = indexRows(
      [
        { id: '1', vector: [1, 2], tag: 'a' },
        { id: '2', vector: [3, 4], tag: 'b' },
        { id: '3', vector: [5, 6], tag: 'c' },
      ],
      'id',
    );
    const scratch = indexRows(
      [
        { id: '1', vector: [1, 2], tag: 'a' },
        { id: '2', vector: [3, 4.5], tag: 'B' },
      ],
      'id',
    );
    expect(compareRows(['1', '2', '3', '4'], ['id', 'vector', 'tag'], source, scratch)).toEqual([
      { key: '2', problem: 'fields-differ', fields: ['vector', 'tag'] },
      { key: '3', problem: 'missing-in-scratch', fields: [] },
      { key: '4', problem: 'missing-in-source', fields: [] },
    ]);
  });
});

describe('keysFilter', () => {
  it('quotes VarChar keys and leaves Int64 keys bare', () => {
    expect(keysFilter('id', 'Int64', ['1', '2'])).toBe('id in [1, 2]');
    expect(keysFilter('pk', 'VarChar', ['a"b', 'c'])).toBe('pk in ["a\\"b", "c"]');
  });
});
