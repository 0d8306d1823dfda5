import { status as grpcStatus } from '@grpc/grpc-js';
import { MilvusCode } from '../src';
import {
  createRichCollection,
  insertRich,
  runStandin,
  sdkClient,
  sleep,
  waitForRestore,
  type Running,
} from './fixtures';

const SRC = 'fault_source';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = Date.now();
  const value = await fn();
  return { ms: Date.now() - start, value };
}

/** Every fault knob, driven through the controller and the HTTP admin, observed through the SDK. */
describe('milvus stand-in: fault injection', () => {
  let run: Running;

  beforeAll(async () => {
    run = await runStandin({ adminPort: 0, faults: { restoreDurationMs: 300 } });
    await createRichCollection(run.client, SRC);
    await insertRich(run.client, SRC, 0, 30);
    await run.client.flush({ collection_names: [SRC] });
    await run.client.createSnapshot({ collection_name: SRC, snapshot_name: 'snap' });
  });
  afterEach(() => run.standin.faults.reset());
  afterAll(async () => run?.stop());

  async function restore(target: string): Promise<string> {
    const res = await run.client.restoreSnapshot({
      snapshot_name: 'snap',
      source_collection_name: SRC,
      target_collection_name: target,
    });
    expect(res.status.code).toBe(0);
    return String(res.job_id);
  }

  it('starts with the configured faults and resets back to them', () => {
    const faults = run.standin.faults;
    expect(faults.get()).toMatchObject({
      latencyMs: 0,
      restoreDurationMs: 300,
      timeScale: 1,
      restoreFailAtPercent: null,
      corruptRestore: false,
    });
    faults.set({ latencyMs: 5, latencyByMethod: { Query: 7 } });
    expect(faults.get()).toMatchObject({
      latencyMs: 5,
      latencyByMethod: { Query: 7 },
      restoreDurationMs: 300,
    });
    faults.reset();
    expect(faults.get()).toMatchObject({ latencyMs: 0, latencyByMethod: {}, restoreDurationMs: 300 });
    expect(() => faults.set({ timeScale: 0 })).toThrow('invalid value for fault setting "timeScale": 0');
    expect(() => faults.set({ restoreFailAtPercent: 120 })).toThrow('restoreFailAtPercent');
    expect(() => faults.set({ latencyMS: 5 } as never)).toThrow('unknown fault setting "latencyMS"');
    expect(faults.get().timeScale).toBe(1);
  });

  it('adds latency to every call, and more to the named methods', async () => {
    run.standin.faults.set({ latencyMs: 120, latencyByMethod: { CreateSnapshot: 250 } });
    const version = await timed(() => run.client.getVersion());
    expect(version.ms).toBeGreaterThanOrEqual(115);
    expect(version.ms).toBeLessThan(250 + 115); // not slowed by CreateSnapshot's extra latency
    const snapshot = await timed(() =>
      run.client.createSnapshot({ collection_name: SRC, snapshot_name: 'slow' }),
    );
    expect(snapshot.value.error_code).toBe('Success');
    expect(snapshot.ms).toBeGreaterThanOrEqual(360);
  });

  it('answers UNAVAILABLE for the next calls of the named methods only, and counts them', async () => {
    const before = run.standin.faults.callCounts();
    run.standin.faults.unavailableNext(2, ['GetVersion']);
    await expect(run.client.getVersion()).rejects.toMatchObject({ code: grpcStatus.UNAVAILABLE });
    expect((await run.client.checkHealth()).isHealthy).toBe(true);
    await expect(run.client.getVersion()).rejects.toMatchObject({ code: grpcStatus.UNAVAILABLE });
    expect((await run.client.getVersion()).version).toBe('v3.0.0-standin');
    const after = run.standin.faults.callCounts();
    expect((after.GetVersion ?? 0) - (before.GetVersion ?? 0)).toBe(3);
  });

  it('applies an unnamed UNAVAILABLE to any method; the SDK retry of it never completes', async () => {
    // The SDK's retry interceptor re-sends the message without half-closing the call, so the retried
    // unary call never reaches a handler (real Milvus behaves the same) and runs into its deadline.
    // That is why callers retry themselves with maxRetries: 0 (as the gateway does).
    const retrying = sdkClient(run.standin, { maxRetries: 1, retryDelay: 5, timeout: 600 });
    try {
      await retrying.connectPromise;
      // (The SDK's hasCollection is a DescribeCollection call.)
      const before = run.standin.faults.callCounts().DescribeCollection ?? 0;
      run.standin.faults.unavailableNext(1);
      await expect(retrying.hasCollection({ collection_name: SRC })).rejects.toMatchObject({
        code: grpcStatus.DEADLINE_EXCEEDED,
      });
      expect((run.standin.faults.callCounts().DescribeCollection ?? 0) - before).toBe(1);
      expect((await run.client.hasCollection({ collection_name: SRC })).value).toBe(true);
    } finally {
      await retrying.closeConnection();
    }
  });

  it('answers the next calls of a method with a scripted Milvus status', async () => {
    run.standin.faults.failNext(
      'DescribeSnapshot',
      { code: MilvusCode.ServiceUnavailable, reason: 'service unavailable: injected' },
      2,
    );
    for (let i = 0; i < 2; i++) {
      const res = await run.client.describeSnapshot({ collection_name: SRC, snapshot_name: 'snap' });
      expect(res.status).toMatchObject({
        code: 2,
        reason: 'service unavailable: injected',
        retriable: true,
        error_code: 'UnexpectedError',
      });
    }
    expect((await run.client.describeSnapshot({ collection_name: SRC, snapshot_name: 'snap' })).name).toBe(
      'snap',
    );

    run.standin.faults.failNext('DropSnapshot', {
      code: MilvusCode.RateLimit,
      reason: 'rate limit exceeded',
    });
    expect(await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'snap' })).toMatchObject({
      code: 8,
      error_code: 'RateLimit',
    });
    expect((await run.client.listSnapshots({ collection_name: SRC })).snapshots).toContain('snap');
  });

  it('fails a restore when it reaches the configured share of its duration; the target stays (copy_segment_checker.go)', async () => {
    run.standin.faults.set({ restoreFailAtPercent: 40, restoreFailReason: 'copy segment failed: disk full' });
    const info = await waitForRestore(run.client, await restore('fails_midway'));
    expect(info.state).toBe('RestoreSnapshotFailed');
    expect(info.reason).toBe('copy segment failed: disk full');
    // Progress counts copied segments; the snapshot's one segment was not copied.
    expect(Number(info.progress)).toBe(0);
    expect(info.time_cost).toBe('0');
    expect((await run.client.hasCollection({ collection_name: 'fails_midway' })).value).toBe(true);
    // The failed job no longer holds its snapshot.
    await run.client.createSnapshot({ collection_name: SRC, snapshot_name: 'droppable' });
    const job = await waitForRestore(run.client, await restore('fails_again'));
    expect(job.state).toBe('RestoreSnapshotFailed');
  });

  it('corrupts restored rows: same count and keys, different values', async () => {
    run.standin.faults.set({ corruptRestore: true });
    expect((await waitForRestore(run.client, await restore('corrupted'))).state).toBe(
      'RestoreSnapshotCompleted',
    );
    await run.client.loadCollectionSync({ collection_name: 'corrupted' });
    const query = (collection: string) =>
      run.client.query({ collection_name: collection, filter: 'pk >= 0', output_fields: ['*'] });
    const [source, copy] = await Promise.all([query(SRC), query('corrupted')]);
    expect(copy.data.map((r) => r.pk)).toEqual(source.data.map((r) => r.pk));
    const differing = copy.data.filter((row, i) => JSON.stringify(row) !== JSON.stringify(source.data[i]));
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.length).toBeLessThan(copy.data.length);
  });

  it('runs an hour-long restore in about a second with timeScale 3600, reporting simulated time_cost', async () => {
    run.standin.faults.set({ restoreDurationMs: 3_600_000, timeScale: 3600 });
    const { ms, value: info } = await timed(async () =>
      waitForRestore(run.client, await restore('hour_long')),
    );
    expect(info.state).toBe('RestoreSnapshotCompleted');
    expect(ms).toBeGreaterThanOrEqual(900);
    expect(ms).toBeLessThan(5000);
    expect(Number(info.time_cost)).toBeGreaterThanOrEqual(3_600_000);
    expect(Number(info.time_cost)).toBeLessThan(3_600_000 * 1.5);
  });

  it('lets pin TTLs lapse on the scaled clock', async () => {
    run.standin.faults.set({ timeScale: 1000 });
    await run.client.createSnapshot({ collection_name: SRC, snapshot_name: 'ttl' });
    await run.client.pinSnapshotData({ collection_name: SRC, snapshot_name: 'ttl', ttl_seconds: 600 });
    expect((await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'ttl' })).code).toBe(
      MilvusCode.SnapshotPinned,
    );
    await sleep(700); // 700 s simulated
    expect((await run.client.dropSnapshot({ collection_name: SRC, snapshot_name: 'ttl' })).error_code).toBe(
      'Success',
    );
  });

  it('gauges the calls in flight at once, injected latency included', async () => {
    const faults = run.standin.faults;
    faults.set({ latencyMs: 1000 });
    expect(faults.resetConcurrency()).toEqual({ inFlight: 0, peak: 0 });
    const calls = [run.client.getVersion(), run.client.checkHealth(), run.client.getVersion()];
    while (faults.concurrency().inFlight < 3) await sleep(10); // all three arrived, none answered yet
    expect(faults.concurrency()).toEqual({ inFlight: 3, peak: 3 });
    await Promise.all(calls);
    expect(faults.concurrency()).toEqual({ inFlight: 0, peak: 3 });
    await run.client.getVersion();
    expect(faults.concurrency().peak).toBe(3);
    expect(faults.resetConcurrency()).toEqual({ inFlight: 0, peak: 0 });
  });

  it('exposes the same controls over the HTTP admin', async () => {
    const url = run.standin.adminUrl as string;
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const set = await post('/faults', { latencyMs: 3, restoreFailAtPercent: 10 });
    expect(set.body).toMatchObject({ latencyMs: 3, restoreFailAtPercent: 10 });
    expect(run.standin.faults.get().latencyMs).toBe(3);
    expect(await (await fetch(`${url}/faults`)).json()).toMatchObject({ latencyMs: 3 });

    expect((await post('/faults/unavailable', { count: 1, methods: ['GetVersion'] })).status).toBe(200);
    await expect(run.client.getVersion()).rejects.toMatchObject({ code: grpcStatus.UNAVAILABLE });

    expect(
      (await post('/faults/fail-next', { method: 'CheckHealth', code: 1, reason: 'service not ready' }))
        .status,
    ).toBe(200);
    expect(((await run.client.checkHealth()) as unknown as { status: unknown }).status).toMatchObject({
      code: 1,
      reason: 'service not ready',
    });

    const calls = (await (await fetch(`${url}/calls`)).json()) as Record<string, number>;
    expect(calls).toEqual(run.standin.faults.callCounts());
    expect(calls.CheckHealth).toBeGreaterThanOrEqual(1);
    const gauge = (await (await fetch(`${url}/concurrency`)).json()) as { inFlight: number; peak: number };
    expect(gauge.inFlight).toBe(0);
    expect(gauge.peak).toBeGreaterThanOrEqual(1);
    expect((await post('/concurrency/reset', {})).body).toEqual({ inFlight: 0, peak: 0 });

    expect((await post('/faults/reset', {})).body).toMatchObject({
      latencyMs: 0,
      restoreFailAtPercent: null,
    });
    expect((await post('/faults/fail-next', {})).status).toBe(400);
    const bad = await post('/faults', { timeScale: 'fast' });
    expect(bad).toEqual({
      status: 400,
      body: { error: 'invalid value for fault setting "timeScale": "fast"' },
    });
    expect((await fetch(`${url}/nope`)).status).toBe(404);
  });
});
