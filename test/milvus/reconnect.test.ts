import { startStandin, type Standin } from 'milvus-standin';
import { MilvusError } from '../../src/milvus/errors';
import { createMilvusGateway } from '../../src/milvus/sdk-gateway';

/**
 * Milvus goes away long enough for grpc-js's reconnect backoff to grow (left alone it reaches
 * 27–43 s after a 50 s outage, 120 s at most) and comes back on the same port. The gateway's next
 * calls must reach it within a few attempts, not once the channel's backoff happens to end.
 * Seconds-from-back-to-success figures are in bench/milvus-reconnect.bench.ts.
 */

const OUTAGE_MS = 50_000;
const CALL_EVERY_MS = 1_000;
const ATTEMPTS_AFTER_RETURN = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function outcome(call: Promise<unknown>): Promise<'ok' | MilvusError> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    if (err instanceof MilvusError) return err;
    throw err;
  }
}

describe('gateway after a Milvus outage', () => {
  let standin: Standin | undefined;
  afterAll(() => standin?.stop());

  it('reaches Milvus again within a few calls once it is back on the same port', async () => {
    standin = await startStandin({ port: 0 });
    const { port } = standin;
    const gateway = createMilvusGateway({ address: standin.address, timeoutMs: 2_000 });
    try {
      expect(await outcome(gateway.listCollections('default'))).toBe('ok');
      await standin.stop();
      standin = undefined;

      const kinds = new Set<string>();
      for (const end = Date.now() + OUTAGE_MS; Date.now() < end; await sleep(CALL_EVERY_MS)) {
        const result = await outcome(gateway.listCollections('default'));
        kinds.add(result === 'ok' ? 'ok' : `${result.kind}${result.retryable ? ' (retryable)' : ''}`);
      }
      // While Milvus is away, every call fails as a retryable Unavailable (Temporal retries it).
      expect([...kinds]).toEqual(['Unavailable (retryable)']);

      standin = await startStandin({ port });
      const results: string[] = [];
      for (let i = 0; i < ATTEMPTS_AFTER_RETURN && results.at(-1) !== 'ok'; i++) {
        if (i > 0) await sleep(CALL_EVERY_MS);
        const result = await outcome(gateway.listCollections('default'));
        results.push(result === 'ok' ? 'ok' : result.message);
      }
      expect(results.at(-1)).toBe('ok');
    } finally {
      await gateway.close();
    }
  }, 120_000);
});
