import { DataType } from '@zilliz/milvus2-sdk-node';
import { MilvusCode } from '../src';
import { runStandin, type Running } from './fixtures';

const DIM = 4;
/** Deterministic vectors, exactly representable as float32 so expected scores match bit for bit. */
const vec = (i: number) => [i % 7, (i * 3) % 5, (i * 2) % 11, 1 + (i % 3)].map((x) => x / 8);
const rows = Array.from({ length: 40 }, (_, i) => ({ id: i, v: vec(i), tag: `t${i % 4}`, n: i }));

type Metric = 'L2' | 'IP' | 'COSINE';
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);
function score(metric: Metric, q: number[], v: number[]): number {
  if (metric === 'L2') return v.reduce((s, x, i) => s + (x - (q[i] as number)) ** 2, 0);
  if (metric === 'IP') return dot(q, v);
  return dot(q, v) / Math.sqrt(dot(q, q) * dot(v, v));
}
/** The exact top-k a brute-force (FLAT) search answers: squared L2 ascending, IP/COSINE descending. */
function expectedIds(
  metric: Metric,
  q: number[],
  k: number,
  keep: (r: (typeof rows)[0]) => boolean = () => true,
) {
  return rows
    .filter(keep)
    .map((r) => ({ id: r.id, s: score(metric, q, r.v) }))
    .sort((a, b) => (metric === 'L2' ? a.s - b.s : b.s - a.s))
    .slice(0, k)
    .map((r) => r.id);
}

/**
 * Search through the Node SDK (internal/proxy/task_search.go): exact brute-force results for
 * L2/IP/COSINE, limit, filter, output fields, partitions, several query vectors, and Milvus's refusals.
 */
describe('milvus stand-in: search', () => {
  let run: Running;

  async function collection(name: string, metric: Metric): Promise<void> {
    const res = await run.client.createCollection({
      collection_name: name,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
        { name: 'tag', data_type: DataType.VarChar, max_length: 16 },
        { name: 'n', data_type: DataType.Int64 },
      ],
      index_params: [{ field_name: 'v', index_type: 'FLAT', metric_type: metric }],
    });
    expect(res.error_code).toBe('Success');
    await run.client.createPartition({ collection_name: name, partition_name: 'odd' });
    await run.client.insert({ collection_name: name, data: rows.filter((r) => r.id % 2 === 0) });
    await run.client.insert({
      collection_name: name,
      partition_name: 'odd',
      data: rows.filter((r) => r.id % 2 === 1),
    });
    await run.client.loadCollection({ collection_name: name });
  }

  beforeAll(async () => {
    run = await runStandin();
    for (const metric of ['L2', 'IP', 'COSINE'] as const)
      await collection(`s_${metric.toLowerCase()}`, metric);
  });
  afterAll(async () => run?.stop());

  it.each(['L2', 'IP', 'COSINE'] as const)('answers the exact top-k and scores for %s', async (metric) => {
    // The SDK sends float32: score against the float32 query the server sees.
    const q = [0.3, 0.1, 0.7, 0.2].map(Math.fround);
    const res = await run.client.search({
      collection_name: `s_${metric.toLowerCase()}`,
      data: [q],
      limit: 5,
      output_fields: ['tag'],
    });
    expect(res.status.code).toBe(0);
    const hits = res.results as { id: string; score: number; tag: string }[];
    expect(hits.map((h) => Number(h.id))).toEqual(expectedIds(metric, q, 5));
    hits.forEach((h) => {
      const row = rows[Number(h.id)] as (typeof rows)[0];
      expect(h.score).toBeCloseTo(score(metric, q, row.v), 5);
      expect(h.tag).toBe(row.tag);
    });
  });

  it('answers one result list per query vector, filtered and limited to the named partitions', async () => {
    const queries = [vec(3), vec(10)];
    const res = await run.client.search({
      collection_name: 's_l2',
      data: queries,
      limit: 3,
      filter: 'n >= 10',
      partition_names: ['odd'],
      output_fields: ['n'],
    });
    expect(res.status.code).toBe(0);
    const lists = res.results as unknown as { id: string; n: number }[][];
    expect(lists).toHaveLength(2);
    queries.forEach((q, i) => {
      const want = expectedIds('L2', q, 3, (r) => r.n >= 10 && r.id % 2 === 1);
      expect((lists[i] as { id: string }[]).map((h) => Number(h.id))).toEqual(want);
    });
  });

  it('needs a loaded collection and an index metric that matches (task_search.go)', async () => {
    await run.client.releaseCollection({ collection_name: 's_ip' });
    const notLoaded = await run.client.search({ collection_name: 's_ip', data: [vec(1)], limit: 2 });
    expect(notLoaded.status.code).toBe(MilvusCode.CollectionNotLoaded);
    await run.client.loadCollection({ collection_name: 's_ip' });
    const mismatch = await run.client.search({
      collection_name: 's_ip',
      data: [vec(1)],
      limit: 2,
      metric_type: 'L2',
    });
    expect(mismatch.status.code).toBe(1100);
    expect(mismatch.status.reason).toContain('metric type not match');
  });

  it('refuses an unknown partition with 200 partition not found', async () => {
    const res = await run.client.search({
      collection_name: 's_l2',
      data: [vec(1)],
      limit: 2,
      partition_names: ['nope'],
    });
    expect(res.status.code).toBe(200);
    expect(res.status.reason).toBe('partition not found[partition=nope]');
  });
});
