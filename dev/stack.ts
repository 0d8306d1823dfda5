import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startStandin, type Standin, type StandinOptions } from 'milvus-standin';
import type { MilvusGateway } from '../src/milvus/gateway';
import { createMilvusGateway } from '../src/milvus/sdk-gateway';
import {
  clustersOf,
  storageProfilesOf,
  type StorageProfile,
  type WorkerResources,
} from '../src/activities/worker-resources';
import { startDevServer, startWorker, type DevServerOptions, type RunningWorker } from './temporal-test-env';

/** The parts most tests and benchmarks need: the dev server, the stand-in and a gateway to it. */
export interface BareStack {
  env: TestWorkflowEnvironment;
  standin: Standin;
  gateway: MilvusGateway;
  /** The second cluster (`dr`), when asked for. */
  dr?: { standin: Standin; gateway: MilvusGateway };
  /** What the worker resolves names with: `primary` (and `dr`), and the storage profiles. */
  resources: WorkerResources;
  client: Client;
  /** Stops whatever is running, in the reverse order of starting. */
  stop(): Promise<void>;
}

/** A BareStack plus an in-process worker bound to its gateway. */
export interface Stack extends BareStack {
  worker: RunningWorker;
  taskQueue: string;
}

export interface StackOptions {
  /** Merged over `{ port: 0 }`. */
  standin?: StandinOptions;
  devServer?: DevServerOptions;
  /** How the Temporal server is had (tests: a namespace on the run's shared dev server); default `startDevServer`. */
  startTemporal?: (options?: DevServerOptions) => Promise<TestWorkflowEnvironment>;
  /** A second stand-in, the worker's cluster `dr` (two stand-ins on one object store act as two clusters). */
  dr?: StandinOptions;
  /** Storage profiles the worker holds (export and bundle restore name them). */
  profiles?: StorageProfile[];
  /** Runs once the gateway exists, before the worker starts (seeding, for instance). */
  prepare?: (stack: BareStack) => Promise<unknown>;
}

/** Runs every step even when one fails, then throws the first failure: teardown must not stop halfway. */
async function runAll(steps: (() => Promise<unknown> | undefined)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * Dev server and stand-in (started together), a gateway, then (unless `worker: false`) a worker.
 * If any part fails to start, the parts already running are stopped before the error is thrown.
 */
export async function startStack(options: StackOptions & { worker: false }): Promise<BareStack>;
export async function startStack(options?: StackOptions & { worker?: true }): Promise<Stack>;
export async function startStack(
  options: StackOptions & { worker?: boolean } = {},
): Promise<BareStack | Stack> {
  const running: {
    env?: TestWorkflowEnvironment;
    standin?: Standin;
    gateway?: MilvusGateway;
    dr?: { standin: Standin; gateway: MilvusGateway };
    worker?: RunningWorker;
  } = {};
  const stop = () =>
    runAll([
      () => running.worker?.stop(),
      () => running.dr?.gateway.close(),
      () => running.dr?.standin.stop(),
      () => running.gateway?.close(),
      () => running.standin?.stop(),
      () => running.env?.teardown(),
    ]);
  const [envStarted, standinStarted] = await Promise.allSettled([
    (options.startTemporal ?? startDevServer)(options.devServer),
    startStandin({ port: 0, ...options.standin }),
  ]);
  if (envStarted.status === 'fulfilled') running.env = envStarted.value;
  if (standinStarted.status === 'fulfilled') running.standin = standinStarted.value;

  try {
    if (envStarted.status === 'rejected') throw envStarted.reason;
    if (standinStarted.status === 'rejected') throw standinStarted.reason;
    const env = envStarted.value;
    const standin = standinStarted.value;
    const gateway = (running.gateway = createMilvusGateway({ address: standin.address }));
    if (options.dr) {
      const drStandin = await startStandin({ port: 0, ...options.dr });
      running.dr = { standin: drStandin, gateway: createMilvusGateway({ address: drStandin.address }) };
    }
    const dr = running.dr;
    const resources: WorkerResources = {
      clusters: clustersOf([['primary', gateway], ...(dr ? [['dr', dr.gateway] as const] : [])]),
      profiles: storageProfilesOf(options.profiles ?? []),
    };
    const bare: BareStack = {
      env,
      standin,
      gateway,
      ...(dr ? { dr } : {}),
      resources,
      client: env.client,
      stop,
    };
    await options.prepare?.(bare);
    if (options.worker === false) return bare;
    const worker = (running.worker = await startWorker(env, resources));
    return { ...bare, worker, taskQueue: worker.taskQueue };
  } catch (err) {
    await stop().catch(() => undefined); // the start failure is the error worth reporting
    throw err;
  }
}
