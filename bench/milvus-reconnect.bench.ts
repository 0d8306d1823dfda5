import { startStandin, type Standin } from 'milvus-standin';
import { createMilvusGateway } from '../src/milvus/sdk-gateway';
import { median } from './median';

/** Outage lengths of issue 12: seconds from Milvus back to the gateway's first successful call. */
const OUTAGES_S = [10, 60, 120];
const SAMPLES = 3;
/** While Milvus is away the gateway is called as a retrying worker would; once back, closely. */
const CALL_DURING_OUTAGE_MS = 1_000;
const PROBE_AFTER_RETURN_MS = 50;
const GIVE_UP_AFTER_RETURN_MS = 180_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One sample: its own stand-in (its own port, so its own grpc-js subchannel and backoff), stopped
 * for `outageS`, restarted on the same port; returns seconds until the first call succeeds.
 */
async function sample(outageS: number): Promise<number> {
  let standin: Standin | undefined = await startStandin({ port: 0 });
  const { port, address } = standin;
  const gateway = createMilvusGateway({ address, timeoutMs: 2_000 });
  const ok = () =>
    gateway.listCollections('default').then(
      () => true,
      () => false,
    );
  try {
    for (let tries = 1; !(await ok()); tries++) {
      if (tries === 30) throw new Error('the stand-in did not answer before the outage');
      await sleep(CALL_DURING_OUTAGE_MS);
    }
    await standin.stop();
    for (const end = Date.now() + outageS * 1000; Date.now() < end; await sleep(CALL_DURING_OUTAGE_MS))
      await ok();
    standin = await startStandin({ port });
    const backAt = Date.now();
    while (!(await ok())) {
      if (Date.now() - backAt > GIVE_UP_AFTER_RETURN_MS) throw new Error('no success 180 s after the return');
      await sleep(PROBE_AFTER_RETURN_MS);
    }
    return Math.round((Date.now() - backAt) / 10) / 100;
  } finally {
    await gateway.close();
    await standin?.stop();
  }
}

/**
 * Issue 12 item 3: after a Milvus outage the first call must succeed within 5 s of Milvus being back
 * (grpc-js alone backs reconnects off up to 120 s). All samples of all outages run at once.
 */
export async function run(): Promise<Record<string, number>> {
  const runs = OUTAGES_S.map((outageS) =>
    Promise.all(Array.from({ length: SAMPLES }, () => sample(outageS))),
  );
  const results: Record<string, number> = {};
  (await Promise.all(runs)).forEach((seconds, i) => {
    results[`first_success_after_${OUTAGES_S[i]}s_outage_s_median`] = median(seconds);
    results[`first_success_after_${OUTAGES_S[i]}s_outage_s_max`] = Math.max(...seconds);
  });
  results.samples_per_outage = SAMPLES;
  return results;
}
