/**
 * Search by exact brute force (what Milvus's FLAT index does; every index type answers the same
 * rows here). Follows internal/proxy/task_search.go (searchTask.PreExecute: anns_field, topk,
 * metric type, output fields plus the primary key) and the SearchResultData layout the SDKs
 * decode (internal/proxy/search_reduce_util.go): per query `topks`, flat `scores`/`ids`/`fields_data`.
 * Scores: L2 is the squared distance (ascending), IP and COSINE similarities (descending),
 * HAMMING and JACCARD distances on binary vectors (ascending), as knowhere reports them.
 */
import type { Engine } from './engine';
import { MilvusCode, reasons } from './milvus-codes';
import type { CollectionState, FieldDef, Row } from './model';
import { inPartitions } from './partitions';
import { decodePlaceholderGroup } from './proto';
import { decodeSparseRow, fieldDataFromRows, isVectorType, MilvusFailure, primaryField } from './rows';

/** quotaAndLimits.limits.topK: topk (and offset + topk) may not exceed it. */
const MAX_TOPK = 16384;
const ASCENDING = new Set(['L2', 'HAMMING', 'JACCARD']);

type Req = Record<string, any>;
interface Ctx {
  metadataDb: string | undefined;
}
type Vector = number[] | Record<string, number>;

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const invalid = (message: string) =>
  new MilvusFailure(MilvusCode.ParameterInvalid, reasons.invalidParameter(message));

function searchParam(req: Req, key: string): string | undefined {
  const kv = (req.search_params as { key: string; value: string }[] | undefined)?.find((p) => p.key === key);
  return kv?.value;
}

/** IEEE half (float16) and bfloat16 → number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function bf16ToFloat(h: number): number {
  const buf = Buffer.alloc(4);
  buf.writeUInt32LE(h << 16);
  return buf.readFloatLE(0);
}

/** A stored vector (bytes for packed kinds) as the numbers the metric works on. */
function numeric(field: FieldDef, stored: unknown): Vector {
  if (field.data_type === 'SparseFloatVector') return stored as Record<string, number>;
  const values = stored as number[];
  if (field.data_type === 'Float16Vector' || field.data_type === 'BFloat16Vector') {
    const bytes = Buffer.from(values);
    const convert = field.data_type === 'Float16Vector' ? halfToFloat : bf16ToFloat;
    return Array.from({ length: bytes.length / 2 }, (_, i) => convert(bytes.readUInt16LE(i * 2)));
  }
  if (field.data_type === 'Int8Vector') return Array.from(Buffer.from(values)).map((b) => (b << 24) >> 24);
  return values;
}

/** One placeholder value (bytes) → a vector in the stored representation of `field`. */
function queryVector(field: FieldDef, raw: Buffer): Vector {
  switch (field.data_type) {
    case 'FloatVector':
      return Array.from({ length: raw.length / 4 }, (_, i) => raw.readFloatLE(i * 4));
    case 'SparseFloatVector':
      return decodeSparseRow(raw);
    default:
      return numeric(field, Array.from(raw));
  }
}

function dot(a: Vector, b: Vector): number {
  if (Array.isArray(a) && Array.isArray(b)) return a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
  const x = a as Record<string, number>;
  const y = b as Record<string, number>;
  return Object.keys(x).reduce((sum, k) => sum + (x[k] ?? 0) * (y[k] ?? 0), 0);
}

function score(metric: string, field: FieldDef, query: Vector, stored: Vector): number {
  if (field.data_type === 'BinaryVector') {
    const a = query as number[];
    const b = stored as number[];
    const bits = (n: number) => n.toString(2).replace(/0/g, '').length;
    const xor = a.reduce((sum, x, i) => sum + bits(x ^ (b[i] ?? 0)), 0);
    if (metric === 'JACCARD') {
      const and = a.reduce((sum, x, i) => sum + bits(x & (b[i] ?? 0)), 0);
      const or = a.reduce((sum, x, i) => sum + bits(x | (b[i] ?? 0)), 0);
      return or === 0 ? 0 : 1 - and / or;
    }
    return xor;
  }
  if (metric === 'L2') {
    const a = query as number[];
    return (stored as number[]).reduce((sum, x, i) => sum + (x - (a[i] ?? 0)) ** 2, 0);
  }
  if (metric === 'COSINE') {
    const norm = Math.sqrt(dot(query, query)) * Math.sqrt(dot(stored, stored));
    return norm === 0 ? 0 : dot(query, stored) / norm;
  }
  return dot(query, stored);
}

function annsField(coll: CollectionState, requested: string): FieldDef {
  const vectors = coll.schema.fields.filter((f) => isVectorType(f.data_type));
  if (!requested) {
    if (vectors.length === 1) return vectors[0] as FieldDef;
    throw invalid('multiple anns_fields exist, please specify a anns_field in search_params');
  }
  const field = vectors.find((f) => f.name === requested);
  if (!field) throw new MilvusFailure(1700, `field not found[field=${requested}]`);
  return field;
}

/** The index's metric, which a given metric_type must match (task_search.go checks it against the index). */
function metricOf(coll: CollectionState, field: FieldDef, requested: string): string {
  const index = coll.indexes.find((i) => i.fieldName === field.name);
  const indexed = index?.params.find((p) => p.key === 'metric_type')?.value ?? '';
  const metric = (
    requested ||
    indexed ||
    (field.data_type === 'BinaryVector' ? 'HAMMING' : 'COSINE')
  ).toUpperCase();
  if (indexed && requested && indexed.toUpperCase() !== metric) {
    throw invalid(`metric type not match: invalid parameter[expected=${indexed}][actual=${requested}]`);
  }
  return metric;
}

export function searchHandlers(engine: Engine) {
  return {
    Search: (req: Req, ctx: Ctx) => {
      const coll = engine.collection(
        str(req.db_name) || ctx.metadataDb || undefined,
        str(req.collection_name),
      );
      if (!coll.loaded)
        throw new MilvusFailure(MilvusCode.CollectionNotLoaded, reasons.collectionNotLoaded(coll.name));
      const field = annsField(coll, searchParam(req, 'anns_field') ?? '');
      const metric = metricOf(coll, field, searchParam(req, 'metric_type') ?? '');
      const topk = Number(searchParam(req, 'topk') ?? searchParam(req, 'limit') ?? 10);
      const offset = Number(searchParam(req, 'offset') ?? 0);
      if (!Number.isInteger(topk) || topk < 1 || topk + offset > MAX_TOPK) {
        throw invalid(`topk [${topk}] is invalid, it should be in range [1, ${MAX_TOPK}]`);
      }
      const roundDecimal = Number(searchParam(req, 'round_decimal') ?? -1);
      const group = decodePlaceholderGroup((req.placeholder_group as Buffer | null) ?? Buffer.alloc(0));
      const placeholder = (group.placeholders as { values: Buffer[] }[] | undefined)?.[0];
      const queries = (placeholder?.values ?? []).map((raw) => queryVector(field, Buffer.from(raw)));
      if (queries.length === 0)
        throw invalid(
          'nq [0] is invalid, nq (number of search vector per search request) should be in range [1, 16384]',
        );

      const filter = engine.compile(coll, str(req.dsl));
      const inPartition = inPartitions(coll, (req.partition_names as string[] | undefined) ?? []);
      const candidates = engine.liveRows(coll).filter((row) => inPartition(row) && filter.matches(row));
      const stored = candidates.map((row) => numeric(field, row[field.name]));
      const ascending = ASCENDING.has(metric);

      const hits: Row[] = [];
      const scores: number[] = [];
      const topks: string[] = [];
      for (const query of queries) {
        const ranked = candidates
          .map((row, i) => ({ row, score: score(metric, field, query, stored[i] as Vector) }))
          .sort((a, b) => (ascending ? a.score - b.score : b.score - a.score))
          .slice(offset, offset + topk);
        ranked.forEach((h) => {
          hits.push(h.row);
          scores.push(roundDecimal >= 0 ? Number(h.score.toFixed(roundDecimal)) : h.score);
        });
        topks.push(String(ranked.length));
      }

      // task_search.go translateOutputFields(..., addPrimary=true): the primary key is always returned.
      const pk = primaryField(coll.schema);
      const requested = ((req.output_fields as string[] | undefined) ?? []).map((f) => f.trim());
      const { fields, outputNames } = engine.resolveOutputFields(coll, requested);
      const ids = hits.map((r) => String(r[pk.name]));
      return {
        collection_name: coll.name,
        results: {
          num_queries: String(queries.length),
          top_k: String(topk),
          fields_data: fieldDataFromRows(coll.schema, hits, fields),
          scores,
          ids: pk.data_type === 'VarChar' ? { str_id: { data: ids } } : { int_id: { data: ids } },
          topks,
          output_fields: outputNames,
          primary_field_name: pk.name,
        },
      };
    },
  };
}
