/**
 * A Milvus-compatible gRPC server (milvus.proto.milvus.MilvusService) for tests and demos: the
 * unmodified SDK connects to it over TCP. See docs/standin.md.
 */
import * as grpc from '@grpc/grpc-js';
import { startAdmin, type AdminServer } from './admin';
import { Engine, freshState } from './engine';
import { Faults, type FaultConfig, type FaultController } from './faults';
import { buildHandlers } from './handlers';
import { filePersistence, memoryPersistence } from './persistence';
import { milvusServiceDefinition } from './proto';
import { buildImplementation } from './server';
import { Snapshots, type TickResult } from './snapshots';
import { DEFAULT_STORAGE, ObjectStore, type StorageConfig } from './storage';
import { drHandlers } from './dr-handlers';
import { Exports } from './exports';

export type { FaultConfig, FaultController } from './faults';
export type { StorageConfig } from './storage';
export type { Concurrency } from './call-gauge';
export { MilvusCode } from './milvus-codes';
export { editPersistedState } from './persistence';
export {
  demoRow,
  seedDemoCollection,
  seedDemoCollectionOnce,
  type SeedOptions,
  type SeedOutcome,
} from './seed';

export interface StandinOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 = random free port. */
  port?: number;
  /** Persistence: load on start, journal every mutation, restart loses nothing. */
  dataDir?: string;
  /** "user:password" — when set, calls without the right token are refused (as Milvus does). */
  token?: string;
  faults?: Partial<FaultConfig>;
  /** Optional HTTP admin for runtime fault control from another process (0 = random). */
  adminPort?: number;
  /**
   * The cluster's object storage (storage.ts): endpoint, bucket, root path, the form of
   * DescribeSnapshot.s3_location, and the object store directory two stand-ins can share.
   */
  storage?: Partial<StorageConfig>;
}

export interface Standin {
  /** "127.0.0.1:PORT" */
  address: string;
  port: number;
  adminUrl?: string;
  faults: FaultController;
  stop(): Promise<void>;
}

/** How often restore jobs advance (real ms). */
const TICK_MS = 20;
/** While jobs run, progress is persisted at most this often (state changes persist at once). */
const PROGRESS_SAVE_MS = 500;
const SHUTDOWN_GRACE_MS = 1000;
/** configs/milvus.yaml proxy.grpc: serverMaxRecvSize 67108864, serverMaxSendSize 268435456. */
const PROXY_MAX_RECV_BYTES = 64 * 1024 * 1024;
const PROXY_MAX_SEND_BYTES = 256 * 1024 * 1024;

const TICK_RANK = { none: 0, progress: 1, state: 2 } as const;
const mergeTicks = (a: TickResult, b: TickResult): TickResult => (TICK_RANK[a] >= TICK_RANK[b] ? a : b);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const host = options.host ?? '127.0.0.1';
  const persistence = options.dataDir ? filePersistence(options.dataDir) : memoryPersistence;
  const state = persistence.load() ?? freshState();

  // The simulated clock must rebase whenever timeScale changes, and the clock lives in the engine.
  const clock: { rebase?: (oldScale: number) => void } = {};
  const faults = new Faults(options.faults ?? {}, (oldScale) => clock.rebase?.(oldScale));
  const engine = new Engine(state, persistence, () => faults.get().timeScale);
  clock.rebase = (oldScale) => engine.clock.rebase(oldScale);
  const storage: StorageConfig = { ...DEFAULT_STORAGE, ...options.storage };
  const store = new ObjectStore(storage.objectStoreDir);
  const snapshots = new Snapshots(engine, () => faults.get(), storage);
  const exports = new Exports(engine, snapshots, store, () => faults.get());

  const server = new grpc.Server({
    'grpc.max_receive_message_length': PROXY_MAX_RECV_BYTES,
    'grpc.max_send_message_length': PROXY_MAX_SEND_BYTES,
  });
  server.addService(
    milvusServiceDefinition(),
    buildImplementation({
      handlers: buildHandlers(engine, snapshots, drHandlers(engine, snapshots, store, exports)),
      faults,
      token: options.token,
    }),
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );

  let lastSave = 0;
  const ticker = setInterval(() => {
    const changed = mergeTicks(snapshots.tick(), exports.tick());
    if (changed === 'state' || (changed === 'progress' && Date.now() - lastSave >= PROGRESS_SAVE_MS)) {
      engine.persist();
      lastSave = Date.now();
    }
  }, TICK_MS);
  ticker.unref();

  let admin: AdminServer | undefined;
  if (options.adminPort !== undefined) admin = await startAdmin(faults, host, options.adminPort);

  return {
    address: `${host}:${port}`,
    port,
    adminUrl: admin?.url,
    faults,
    async stop() {
      clearInterval(ticker);
      engine.persist();
      persistence.close();
      await admin?.close();
      await Promise.race([
        new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
        sleep(SHUTDOWN_GRACE_MS),
      ]);
      server.forceShutdown();
    },
  };
}
