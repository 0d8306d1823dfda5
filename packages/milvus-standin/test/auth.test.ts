import { status as grpcStatus } from '@grpc/grpc-js';
import { logger, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startStandin, type Standin } from '../src';

const TOKEN = 'root:s3cret-pass';

// Under jest (NODE_ENV=test) the SDK logs every request at debug level; keep test output readable.
logger.level = 'warn';

/** Auth as the Milvus proxy does it: base64 "user:password" in `authorization`, UNAUTHENTICATED otherwise. */
describe('milvus stand-in: authentication', () => {
  let standin: Standin;

  beforeAll(async () => {
    standin = await startStandin({ port: 0, token: TOKEN });
  });
  afterAll(async () => standin?.stop());

  async function withClient<T>(
    config: Record<string, unknown>,
    fn: (client: MilvusClient) => Promise<T>,
  ): Promise<T> {
    const client = new MilvusClient({ address: standin.address, maxRetries: 0, ...config });
    // The SDK connects in its constructor; a refused Connect must not become an unhandled rejection.
    const connected = client.connectPromise?.catch((err: unknown) => err);
    try {
      await connected;
      return await fn(client);
    } finally {
      await client.closeConnection();
    }
  }

  it('serves a client that presents the right user and password', async () => {
    const version = await withClient({ token: TOKEN }, (c) => c.getVersion());
    expect(version.version).toBe('v3.0.0-standin');
    const viaUserPassword = await withClient({ username: 'root', password: 's3cret-pass' }, (c) =>
      c.checkHealth(),
    );
    expect(viaUserPassword.isHealthy).toBe(true);
  });

  it('refuses a call without a token: UNAUTHENTICATED, missing authorization in header', async () => {
    await withClient({}, async (c) => {
      await expect(c.describeCollection({ collection_name: 'any' })).rejects.toMatchObject({
        code: grpcStatus.UNAUTHENTICATED,
        details: 'missing authorization in header',
      });
    });
  });

  it('refuses a wrong password and a wrong API key with the proxy interceptor wording', async () => {
    await withClient({ token: 'root:wrong' }, async (c) => {
      await expect(c.describeCollection({ collection_name: 'any' })).rejects.toMatchObject({
        code: grpcStatus.UNAUTHENTICATED,
        details: 'auth check failure, please check username and password are correct',
      });
    });
    await withClient({ token: 'not-a-user-password-pair' }, async (c) => {
      await expect(c.describeCollection({ collection_name: 'any' })).rejects.toMatchObject({
        code: grpcStatus.UNAUTHENTICATED,
        details: 'auth check failure, please check api key is correct',
      });
    });
  });

  it('counts refused calls too (the SDK Connect, then the call itself)', async () => {
    const before = standin.faults.callCounts();
    await withClient({ token: 'root:nope' }, async (c) => {
      await expect(c.describeCollection({ collection_name: 'any' })).rejects.toMatchObject({
        code: grpcStatus.UNAUTHENTICATED,
      });
    });
    const after = standin.faults.callCounts();
    expect((after.Connect ?? 0) - (before.Connect ?? 0)).toBe(1);
    expect((after.DescribeCollection ?? 0) - (before.DescribeCollection ?? 0)).toBe(1);
  });
});

/** Runs bin/milvus-standin.js until `ready` appears in its output; returns the output so far and a stopper. */
async function startCli(args: string[], env: Record<string, string>, ready: string) {
  const bin = path.join(__dirname, '..', 'bin', 'milvus-standin.js');
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!output.includes(ready) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return {
    output: () => output,
    address: () => /listening on (\S+)/.exec(output)?.[1] as string,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

async function countRows(address: string, collection: string): Promise<number> {
  const client = new MilvusClient({ address, token: TOKEN, maxRetries: 0 });
  try {
    await client.connectPromise;
    return (await client.count({ collection_name: collection })).data;
  } finally {
    await client.closeConnection();
  }
}

describe('milvus stand-in CLI', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'milvus-standin-cli-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('takes the token from MILVUS_STANDIN_TOKEN, prints the address but never the token, seeds once per data dir', async () => {
    const args = [
      '--port',
      '0',
      '--data',
      dataDir,
      '--seed-collection',
      'cli_items',
      '--seed-rows',
      '12',
      '--seed-dim',
      '4',
    ];
    const first = await startCli(args, { MILVUS_STANDIN_TOKEN: TOKEN }, 'seeded cli_items');
    try {
      expect(first.address()).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(first.output()).toContain('(auth required)');
      expect(first.output()).toContain('seeded cli_items: 12 rows, dim 4');
      expect(first.output()).not.toContain('s3cret');
      expect(await countRows(first.address(), 'cli_items')).toBe(12);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startCli(args, { MILVUS_STANDIN_TOKEN: TOKEN }, 'not seeding it again');
    try {
      expect(second.output()).toContain('cli_items already exists (12 rows, dim 4), not seeding it again');
      expect(await countRows(second.address(), 'cli_items')).toBe(12);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});
