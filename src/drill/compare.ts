import type { CollectionSchemaInfo, FieldInfo, Row } from '../milvus/gateway';

/**
 * Pure comparison logic of the drill's verification: schema, sampled rows, the deterministic
 * sample itself. The activity (src/activities/compare-collections.ts) only fetches.
 */

export interface SchemaComparison {
  equal: boolean;
  /** The source's fields as compared: name, type, primary key, type params (dim, max_length). */
  fields: { name: string; dataType: string; isPrimaryKey: boolean; typeParams: Record<string, string> }[];
  shardsNum: number;
  differences: string[];
}

export type RowProblem = 'missing-in-scratch' | 'missing-in-source' | 'fields-differ';

export interface DifferingKey {
  key: string;
  problem: RowProblem;
  /** The fields whose values differ (empty when the whole row is missing). */
  fields: string[];
}

function describeField(f: FieldInfo): string {
  const params = Object.entries(f.typeParams)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${f.dataType}${f.isPrimaryKey ? ' pk' : ''}${f.autoId ? ' auto_id' : ''}${params ? ` (${params})` : ''}`;
}

export function compareSchemas(
  source: CollectionSchemaInfo,
  scratch: CollectionSchemaInfo,
): SchemaComparison {
  const differences: string[] = [];
  const scratchByName = new Map(scratch.fields.map((f) => [f.name, f]));
  for (const field of source.fields) {
    const other = scratchByName.get(field.name);
    if (!other) {
      differences.push(`field ${field.name} missing in scratch`);
      continue;
    }
    const [want, got] = [describeField(field), describeField(other)];
    if (want !== got) differences.push(`field ${field.name}: source ${want}, scratch ${got}`);
  }
  const sourceNames = new Set(source.fields.map((f) => f.name));
  for (const field of scratch.fields) {
    if (!sourceNames.has(field.name)) differences.push(`field ${field.name} only in scratch`);
  }
  if (source.shardsNum !== scratch.shardsNum) {
    differences.push(`shards: source ${source.shardsNum}, scratch ${scratch.shardsNum}`);
  }
  return {
    equal: differences.length === 0,
    fields: source.fields.map((f) => ({
      name: f.name,
      dataType: f.dataType,
      isPrimaryKey: f.isPrimaryKey,
      typeParams: { ...f.typeParams },
    })),
    shardsNum: source.shardsNum,
    differences,
  };
}

/** FNV-1a: a stable 32-bit seed from the workflow id, so a replayed or retried drill samples the same keys. */
export function seedFrom(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function compareKeys(a: string, b: string): number {
  const [x, y] = [Number(a), Number(b)];
  if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `n` keys drawn without replacement from `keys`, the same for the same keys and seed whatever
 * order Milvus returned them in; all keys (sorted) when there are no more than `n`.
 */
export function pickSampleKeys(keys: readonly string[], n: number, seed: number): string[] {
  const sorted = [...new Set(keys)].sort(compareKeys);
  if (sorted.length <= n) return sorted;
  const random = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (sorted.length - i));
    [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
  }
  return sorted.slice(0, n).sort(compareKeys);
}

/** Relative tolerance for floats: restores copy binlogs, so values should be bit-identical anyway. */
const FLOAT_TOLERANCE = 1e-6;

function numbersEqual(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  return Math.abs(a - b) <= FLOAT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function isBytes(v: unknown): v is Uint8Array {
  return v instanceof Uint8Array;
}

/** Deep equality for Milvus values: scalars, JSON, arrays, float/binary/sparse vectors. */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b);
  if (typeof a === 'bigint' || typeof b === 'bigint') return String(a) === String(b);
  if (isBytes(a) || isBytes(b)) {
    if (!isBytes(a) || !isBytes(b) || a.length !== b.length) return false;
    return a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const [ka, kb] = [Object.keys(a).sort(), Object.keys(b).sort()];
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) return false;
    return ka.every((k) => valuesEqual((a as Row)[k], (b as Row)[k]));
  }
  return a === b;
}

/** Rows keyed by their primary key as a string (Int64 keys may arrive as strings or numbers). */
export function indexRows(rows: readonly Row[], keyField: string): Map<string, Row> {
  return new Map(rows.map((row) => [String(row[keyField]), row]));
}

/** Compares, for every sampled key, the scratch row with the source row, field by field. */
export function compareRows(
  keys: readonly string[],
  fields: readonly string[],
  source: Map<string, Row>,
  scratch: Map<string, Row>,
): DifferingKey[] {
  const differing: DifferingKey[] = [];
  for (const key of keys) {
    const [want, got] = [source.get(key), scratch.get(key)];
    if (!want) {
      differing.push({ key, problem: 'missing-in-source', fields: [] });
      continue;
    }
    if (!got) {
      differing.push({ key, problem: 'missing-in-scratch', fields: [] });
      continue;
    }
    const fieldsDiffering = fields.filter((f) => !valuesEqual(want[f], got[f]));
    if (fieldsDiffering.length > 0)
      differing.push({ key, problem: 'fields-differ', fields: fieldsDiffering });
  }
  return differing;
}

/** A Milvus boolean expression selecting the given primary keys. */
export function keysFilter(keyField: string, keyType: string, keys: readonly string[]): string {
  const quoted = keyType === 'VarChar' ? keys.map((k) => JSON.stringify(k)) : keys;
  return `${keyField} in [${quoted.join(', ')}]`;
}

export interface RowCountComparison {
  /** What the snapshot recorded when it was taken; null when the snapshot carries no marker. */
  expected: number | null;
  /** count(*) of the scratch collection. */
  actual: number;
  /** count(*) of the source now, to tell whether the source changed since the snapshot. */
  sourceNow: number;
  equal: boolean;
}

export interface SampleComparison {
  status: 'compared' | 'skipped';
  /** Why the sample was not compared (the source changed since the snapshot). */
  skippedReason?: string;
  keyField: string;
  /** Fields compared for each key: every field of the schema, vectors included. */
  fields: string[];
  keysScanned: number;
  compared: number;
  differing: DifferingKey[];
}

export interface CollectionComparison {
  equal: boolean;
  schema: SchemaComparison;
  rowCount: RowCountComparison;
  sample: SampleComparison;
}

/**
 * mulberry32: a small, fast, deterministic PRNG. The same seed gives the same sequence on every
 * machine, so seeded demo data and drill samples are reproducible.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
