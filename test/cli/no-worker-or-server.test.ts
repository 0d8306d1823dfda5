import { freePort } from '../../dev/free-port';
import { connectClient, connectWorkerConnection } from '../../src/temporal/connection';
import { loadTemporalConfig } from '../../src/config';
import { startCli, runCli } from '../helpers/cli';
import { startStack, type BareStack } from '../helpers/stack';
import { startWorker, uniqueTaskQueue } from '../helpers/temporal';
import { waitUntil } from '../../dev/wait-until';

/** What an operator sees when Temporal cannot be reached, or when no worker polls the task queue. */
describe('CLI without a worker', () => {
  let bare: BareStack | undefined;
  const stack = () => bare as BareStack;
  beforeAll(async () => {
    bare = await startStack({ worker: false, devServer: { own: true } }); // it prints namespace default
  });
  afterAll(() => bare?.stop());

  it('--fail-without-worker: says no worker polls <queue> on <address>, exits 1, starts nothing', async () => {
    const { env } = stack();
    const queue = uniqueTaskQueue('nobody');
    const { code, stderr } = await runCli(['check', '--fail-without-worker'], {
      TEMPORAL_ADDRESS: env.address,
      TEMPORAL_TASK_QUEUE: queue,
    });
    expect(code).toBe(1);
    expect(stderr).toContain(
      `no worker is polling task queue ${queue} on ${env.address} (namespace default); nothing was started (--fail-without-worker)`,
    );
    const started = [];
    for await (const run of env.client.workflow.list({ query: `TaskQueue = '${queue}'` })) started.push(run);
    expect(started).toHaveLength(0);
  });

  it('by default it says so after a few seconds and keeps waiting until a worker comes', async () => {
    const { env, gateway } = stack();
    const queue = uniqueTaskQueue('late');
    const cli = startCli(['check', '--json'], { TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: queue });
    await waitUntil(
      async () => cli.stderr(),
      (text) => text.includes(`no worker is polling task queue ${queue} on ${env.address}`),
    );
    expect(cli.stderr()).toContain('starting anyway and waiting until a worker polls it');
    const worker = await startWorker(env, gateway, queue);
    try {
      const { code, stdout } = await cli.done;
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ db: 'default' });
    } finally {
      await worker.stop();
    }
  });
});

describe('unreachable Temporal', () => {
  it('the client and worker connections name the address they tried', async () => {
    const address = `127.0.0.1:${await freePort()}`; // nothing listens there
    const config = loadTemporalConfig({ TEMPORAL_ADDRESS: address });
    await expect(connectClient(config)).rejects.toThrow(`cannot connect to Temporal at ${address}: `);
    await expect(connectWorkerConnection(config)).rejects.toThrow(
      `cannot connect to Temporal at ${address}: `,
    );
  });

  it('the CLI says which address it tried and exits 1', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const { code, stderr } = await runCli(['status', 'any'], { TEMPORAL_ADDRESS: address });
    expect(code).toBe(1);
    expect(stderr).toContain(`error: cannot connect to Temporal at ${address}: `);
  });
});
