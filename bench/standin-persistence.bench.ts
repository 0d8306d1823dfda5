import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MilvusClient } from '@zilliz/milvus2-sdk-node';
import { demoRow, seedDemoCollection, startStandin } from 'milvus-standin';
import { median } from './median';

const SNAPSHOTS = 500;
const ROWS = 500;
const DIM = 8;
const SAMPLES = 15;

/** Bytes this process has passed to write(2) so far (Linux /proc/self/io `wchar`). */
function bytesWritten(): number {
  const line = fs
    .readFileSync('/proc/self/io', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('wchar:'));
  return Number(line?.split(':')[1] ?? 0);
}

type Mutations = Record<string, (client: MilvusClient, i: number) => Promise<unknown>>;

const MUTATIONS: Mutations = {
  create_snapshot: (c, i) => c.createSnapshot({ collection_name: 'bench', snapshot_name: `extra_${i}` }),
  pin_snapshot: (c) => c.pinSnapshotData({ collection_name: 'bench', snapshot_name: 's_0', ttl_seconds: 60 }),
  insert_10_rows: (c, i) =>
    c.insert({
      collection_name: 'bench',
      data: Array.from({ length: 10 }, (_, k) => demoRow(ROWS + i * 10 + k, DIM)),
    }),
  flush: (c) => c.flush({ collection_names: ['bench'] }),
};

/** One stand-in (persisting to a temp dir, or in memory), 500 snapshots, then each mutation SAMPLES times. */
async function measure(persist: boolean): Promise<Record<string, { ms: number; bytes: number }>> {
  const dataDir = persist ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-persist-')) : undefined;
  const standin = await startStandin({ port: 0, dataDir });
  const client = new MilvusClient({ address: standin.address, logLevel: 'warn', maxRetries: 0 });
  try {
    await seedDemoCollection(standin.address, { collection: 'bench', rows: ROWS, dim: DIM });
    for (let i = 0; i < SNAPSHOTS; i++) {
      await client.createSnapshot({ collection_name: 'bench', snapshot_name: `s_${i}` });
    }
    const result: Record<string, { ms: number; bytes: number }> = {};
    for (const [name, mutate] of Object.entries(MUTATIONS)) {
      const ms: number[] = [];
      const bytes: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const before = bytesWritten();
        const start = process.hrtime.bigint();
        await mutate(client, i);
        ms.push(Number(process.hrtime.bigint() - start) / 1e6);
        bytes.push(bytesWritten() - before);
      }
      result[name] = { ms: median(ms), bytes: median(bytes) };
    }
    return result;
  } finally {
    await client.closeConnection();
    await standin.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The stand-in's persistence cost once 500 snapshots exist: median ms per mutation over gRPC and
 * bytes written per mutation by persistence (write(2) bytes of a persisting stand-in minus those of
 * an in-memory one, which leaves out the gRPC traffic both have).
 */
export async function run(): Promise<Record<string, number>> {
  const memory = await measure(false);
  const disk = await measure(true);
  const result: Record<string, number> = {};
  for (const name of Object.keys(MUTATIONS)) {
    result[`${name}_ms_median`] = Math.round(disk[name]!.ms * 100) / 100;
    result[`${name}_in_memory_ms_median`] = Math.round(memory[name]!.ms * 100) / 100;
    result[`${name}_bytes_written_median`] = Math.max(0, disk[name]!.bytes - memory[name]!.bytes);
  }
  result['snapshots'] = SNAPSHOTS;
  result['rows_per_snapshot'] = ROWS;
  return result;
}

if (require.main === module) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
