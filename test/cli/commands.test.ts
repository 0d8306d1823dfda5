import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { seedDemoCollection } from 'milvus-standin';
import { seedSnapshot } from '../../dev/seed-snapshot';
import { waitUntil } from '../../dev/wait-until';
import { drillProgressQuery } from '../../src/contracts/drill';
import { runCli, startCli } from '../helpers/cli';
import { useStack } from '../helpers/stack';
import { uniqueTaskQueue } from '../helpers/temporal';

/**
 * The CLI as an operator uses it, in its own process, against the dev server, a worker and the
 * stand-in: text for people by default, the JSON scripts read with --json.
 */
const COLLECTION = 'cli_docs';
const ROWS = 160;

describe('CLI commands', () => {
  const stack = useStack({
    profiles: [{ name: 'offsite', targetS3Path: 'minio://127.0.0.1:9000/offsite/cli' }],
    prepare: (s) => seedSnapshot(s, { collection: COLLECTION, snapshot: 'seeded', rows: ROWS, segments: 8 }),
  });
  beforeEach(() => stack().standin.faults.reset());

  const env = (extra: Record<string, string> = {}) => ({
    TEMPORAL_ADDRESS: stack().env.connection.options.address,
    TEMPORAL_TASK_QUEUE: stack().taskQueue,
    MILVUS_ADDRESS: stack().standin.address,
    ...extra,
  });
  const cli = (args: string[], extra?: Record<string, string>) => runCli(args, env(extra));

  /** The CLI on a pseudo-terminal (`script`), as a person's shell runs it: its output and exit code. */
  function onTerminal(args: string[]): { output: () => string; done: Promise<number> } {
    const command = [process.execPath, join(__dirname, '..', '..', 'bin', 'milvus-snapshot.js'), ...args];
    const tty = spawn('script', ['-qec', command.map((a) => `'${a}'`).join(' '), '/dev/null'], {
      env: { ...process.env, ...env() },
    });
    let output = '';
    tty.stdout.on('data', (d) => (output += d));
    const done = new Promise<number>((resolve) => tty.on('exit', (code) => resolve(code ?? -1)));
    return { output: () => output, done };
  }

  it('backup: one line for people, with --json the result as 2-space JSON', async () => {
    const human = await cli(['backup', '--collection', COLLECTION, '--snapshot', 'by_cli']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(
      new RegExp(`^backup default\\.${COLLECTION} → by_cli: 160 rows, flushed, created, verified in .+\\n`),
    );
    const json = await cli(['backup', '--collection', COLLECTION, '--snapshot', 'by_cli_json', '--json']);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ snapshot: 'by_cli_json', collection: COLLECTION, rowCount: ROWS });
    expect(json.stdout).toBe(`${JSON.stringify(result, null, 2)}\n`);
  });

  it('retention --dry-run: a summary line and the plan per snapshot', async () => {
    const args = ['retention', '--collection', COLLECTION, '--policy', '{"keepLast":1}', '--dry-run'];
    const human = await cli(args);
    expect(human.code).toBe(0);
    const [summary, header, ...rows] = human.stdout.trim().split('\n');
    expect(summary).toMatch(
      /^retention default\.cli_docs \(dry run\): 1 collection, 3 snapshots, kept 1, would drop 2, 0 failed$/,
    );
    expect(header.split(/\s{2,}/)).toEqual(['SNAPSHOT', 'CREATED (UTC)', 'ACTION', 'WHY']);
    expect(rows.map((r) => r.split(/\s{2,}/)[2]).sort()).toEqual(['keep', 'would drop', 'would drop']);
    const json = JSON.parse((await cli([...args, '--json'])).stdout);
    expect(json.totals).toMatchObject({ snapshots: 3, kept: 1, wouldDrop: 2 });
  });

  it('snapshots list: name, created, rows, verified, pinned, protected, exported (from the catalog)', async () => {
    const { code, stdout } = await cli(['snapshots', 'list', '--collection', COLLECTION]);
    expect(code).toBe(0);
    const [header, ...lines] = stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'NAME',
      'CREATED (UTC)',
      'ROWS',
      'VERIFIED',
      'PINNED',
      'PROTECTED',
      'EXPORTED',
    ]);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/);
    // Verified by the backup run above (recorded in the catalog); the seeded one never was.
    expect(row('by_cli')).toEqual([
      'by_cli',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      '160',
      expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      'no',
      'no',
      'no',
    ]);
    expect(row('seeded')?.slice(2)).toEqual(['160', 'no', 'no', 'no', 'no']);

    const json = await cli(['snapshots', 'list', '--collection', COLLECTION, '--json']);
    const inventory = JSON.parse(json.stdout) as {
      collectionExists: boolean;
      catalog: { entries: { snapshot: string }[] };
      snapshots: Record<string, unknown>[];
    };
    expect(inventory.collectionExists).toBe(true);
    expect(inventory.catalog.entries.map((e) => e.snapshot)).toEqual(
      expect.arrayContaining(['by_cli', 'by_cli_json']),
    );
    expect(inventory.snapshots.map((s) => s.name)).toEqual(
      expect.arrayContaining(['by_cli', 'by_cli_json', 'seeded']),
    );
    expect(inventory.snapshots.find((s) => s.name === 'by_cli')).toMatchObject({
      rows: ROWS,
      ours: true,
      verifiedBy: 'catalog',
      protected: false,
      exported: null,
    });
  });

  it('snapshots list of a dropped collection shows what its catalog holds', async () => {
    await seedDemoCollection(stack().standin.address, { collection: 'cli_gone', rows: 20, dim: 8 });
    expect((await cli(['backup', '--collection', 'cli_gone', '--snapshot', 'gone_1'])).code).toBe(0);
    await stack().gateway.dropCollection({ db: 'default', collection: 'cli_gone' });
    const { code, stdout } = await cli(['snapshots', 'list', '--collection', 'cli_gone']);
    expect(code).toBe(0);
    expect(stdout).toContain('default.cli_gone is not in Milvus (dropped?); what its catalog holds');
    expect(stdout).toMatch(/^gone_1 +\S+ +20 /m);
  });

  it('snapshots describe: one snapshot in full; bad input exits 2 naming the flag', async () => {
    const { code, stdout } = await cli([
      'snapshots',
      'describe',
      '--collection',
      COLLECTION,
      '--name',
      'by_cli',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^snapshot +default\\.${COLLECTION}@by_cli$`, 'm'));
    expect(stdout).toMatch(/^made by +milvus-snapshot-worker \(backup:default\.cli_docs:by_cli\)$/m);
    expect(stdout).toMatch(/^protected +no$/m);
    expect(stdout).toMatch(/^verified +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(catalog\)$/m);

    const missing = await cli(['snapshots', 'describe', '--collection', COLLECTION]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('snapshots describe needs --name');
    const typo = await cli(['snapshots', 'list', '--colection', COLLECTION]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown flag --colection for snapshots list; did you mean --collection?');
    const badName = await cli(['restore-jobs', 'list', '--collection', '9lives']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toContain('--collection: must start with a letter or underscore');
  });

  it('restore: a bar on a terminal, plain lines when piped; then restore-jobs list shows the job', async () => {
    // Slow simulated time until the progress has been shown, then fast: no wall-clock assumption.
    // Not too fast: Milvus forgets a job 3 h (simulated) after it ends, and restore-jobs reads it after.
    stack().standin.faults.set({ restoreDurationMs: 60_000, timeScale: 0.01 });
    const restore = (target: string) => [
      'restore',
      '--snapshot',
      'seeded',
      '--source-collection',
      COLLECTION,
      '--target-collection',
      target,
      '--poll-interval',
      '1s',
    ];
    const tty = onTerminal(restore('cli_tty'));
    await waitUntil(
      async () => tty.output(),
      (text) => /\r\x1b\[2K\[[#-]{24}\] +\d+% restore waiting/.test(text),
      90_000,
    );
    stack().standin.faults.set({ timeScale: 50 });
    expect(await tty.done).toBe(0);
    expect(tty.output()).toMatch(/restore default\.cli_docs@seeded → default\.cli_tty: 160 rows verified/);

    stack().standin.faults.set({ timeScale: 0.01 });
    const piped = startCli(restore('cli_piped'), env());
    await waitUntil(
      async () => piped.stderr(),
      (text) => /restore waiting: (Pending|Executing) \d+% job \d+/.test(text),
      90_000,
    );
    stack().standin.faults.set({ timeScale: 50 });
    const done = await piped.done;
    expect(done.code).toBe(0);
    expect(done.stderr).not.toContain('\r');
    expect(done.stderr).not.toContain('\x1b');

    const jobs = await cli(['restore-jobs', 'list', '--collection', 'cli_piped']);
    expect(jobs.code).toBe(0);
    const [header, line] = jobs.stdout.trim().split('\n');
    expect(header.split(/\s{2,}/)).toEqual([
      'JOB',
      'SNAPSHOT',
      'TARGET',
      'STATE',
      'PROGRESS',
      'STARTED (UTC)',
      'TIME',
      'REASON',
    ]);
    expect(line.split(/\s{2,}/).slice(1, 5)).toEqual(['seeded', 'default.cli_piped', 'Completed', '100%']);
    const all = JSON.parse((await cli(['restore-jobs', 'list', '--json'])).stdout) as {
      collection: string;
    }[];
    expect(all.map((j) => j.collection)).toEqual(expect.arrayContaining(['cli_tty', 'cli_piped']));
  });

  it('retention: a bar from its progress query on a terminal, a status line when piped', async () => {
    const prune = async (collection: string) => {
      await seedDemoCollection(stack().standin.address, { collection, rows: 10, dim: 4 });
      for (let i = 0; i < 6; i++)
        await stack().gateway.createSnapshot({ db: 'default', collection, snapshot: `${collection}_${i}` });
      return ['retention', '--collection', collection, '--policy', '{"keepLast":1,"scope":"all"}'];
    };
    // Slow drops until the progress has been shown, then fast: no wall-clock assumption.
    const slow = () => stack().standin.faults.set({ latencyByMethod: { DropSnapshot: 1500 } });
    const args = await prune('cli_prune_tty');
    slow();
    const tty = onTerminal(args);
    await waitUntil(
      async () => tty.output(),
      (text) => /\r\x1b\[2K\[[#-]{24}\] +\d+% retention \d\/6: kept 1, dropped \d, \d to go(\r|$)/.test(text),
      90_000,
    );
    stack().standin.faults.reset();
    expect(await tty.done).toBe(0);
    expect(tty.output()).toMatch(
      /retention default\.cli_prune_tty: 1 collection, 6 snapshots, kept 1, dropped 5, 0 failed/,
    );

    const pipedArgs = await prune('cli_prune_piped');
    slow();
    const piped = startCli(pipedArgs, env());
    await waitUntil(
      async () => piped.stderr(),
      (text) => /^retention \d\/6: kept 1, dropped \d, \d to go$/m.test(text),
      90_000,
    );
    stack().standin.faults.reset();
    const done = await piped.done;
    expect(done.code).toBe(0);
    expect(done.stderr).not.toMatch(/[\r\x1b]/);
    expect(done.stdout).toMatch(
      /^retention default\.cli_prune_piped: 1 collection, 6 snapshots, kept 1, dropped 5, 0 failed$/m,
    );
  });

  it('status: the result of a completed run, the reason of a failed one', async () => {
    const ok = await cli(['status', `backup:default.${COLLECTION}:by_cli`]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^backup:default\.cli_docs:by_cli \(backupWorkflow\): COMPLETED — started /);
    expect(ok.stdout).toMatch(/^backup default\.cli_docs → by_cli: 160 rows/m);

    // Same snapshot name again: Milvus refuses, the run fails.
    const failed = await cli(['backup', '--collection', COLLECTION, '--snapshot', 'seeded']);
    expect(failed.code).toBe(1);
    const status = await cli(['status', `backup:default.${COLLECTION}:seeded`]);
    expect(status.stdout).toMatch(/: FAILED — started /);
    expect(status.stdout).toMatch(/^reason: .*already exists/m);
    const json = JSON.parse((await cli(['status', `backup:default.${COLLECTION}:seeded`, '--json'])).stdout);
    expect(Object.keys(json).slice(0, 5)).toEqual(['workflowId', 'type', 'status', 'startTime', 'closeTime']);
    expect(json.failure).toMatch(/already exists/);
  });

  it('status: a pending cancel is shown while the run has not acted on it', async () => {
    // No worker polls this queue, so the run cannot act on the cancel: it stays requested.
    const queue = uniqueTaskQueue('cancel-pending');
    const start = await cli(['backup', '--collection', COLLECTION, '--snapshot', 'never', '--no-wait'], {
      TEMPORAL_TASK_QUEUE: queue,
    });
    expect(start.code).toBe(0);
    const workflowId = `backup:default.${COLLECTION}:never`;
    expect(start.stdout).toContain(`workflow ${workflowId}`);
    try {
      expect((await cli(['cancel', workflowId])).stdout).toContain(`cancel requested for ${workflowId}`);
      const status = await cli(['status', workflowId]);
      expect(status.stdout).toMatch(/\(backupWorkflow\): RUNNING, cancel requested \(compensating\)/);
      expect(JSON.parse((await cli(['status', workflowId, '--json'])).stdout).cancelRequested).toBe(true);
    } finally {
      await stack().client.workflow.getHandle(workflowId).terminate('test cleanup');
    }
  });

  it("status of a running drill shows its restore's progress", async () => {
    stack().standin.faults.set({ restoreDurationMs: 60_000, timeScale: 0.01 });
    const start = await cli(['drill', '--collection', COLLECTION, '--no-wait', '--json']);
    expect(start.code).toBe(0);
    const { workflowId } = JSON.parse(start.stdout) as { workflowId: string };
    try {
      const handle = stack().client.workflow.getHandle(workflowId);
      await waitUntil(
        () => handle.query(drillProgressQuery),
        (p) => p.step === 'restore' && p.restoreWorkflowId !== undefined,
        60_000,
      );
      const json = await waitUntil(
        async () => JSON.parse((await cli(['status', workflowId, '--json'])).stdout),
        (s) => s.restoreProgress?.jobId !== undefined,
        60_000,
      );
      expect(json.progress.step).toBe('restore');
      expect(typeof json.restoreProgress.progress).toBe('number');
      const human = await cli(['status', workflowId]);
      expect(human.stdout).toMatch(/^drill step: restore$/m);
      expect(human.stdout).toMatch(/^\[[#-]{24}\] +\d+% restore waiting: (Pending|Executing) job \d+$/m);
    } finally {
      stack().standin.faults.set({ timeScale: 1000 });
      await stack().client.workflow.getHandle(workflowId).cancel();
      await stack()
        .client.workflow.getHandle(workflowId)
        .result()
        .catch(() => undefined);
    }
  });

  it("status of a backup waiting on its export, and of the export itself, shows the export's job, % and files", async () => {
    stack().standin.faults.set({ exportDurationMs: 60_000, timeScale: 0.01 });
    const start = await cli([
      'backup',
      '--collection',
      COLLECTION,
      '--snapshot',
      'exported_by_cli',
      '--export',
      '{"profile":"offsite"}',
      '--no-wait',
      '--json',
    ]);
    expect(start.code).toBe(0);
    const { workflowId } = JSON.parse(start.stdout) as { workflowId: string };
    const exportLine =
      /^\[[#-]{24}\] +\d+% export waiting: (Pending|Executing) \d+% \d+\/\d+ files job \d+$/m;
    try {
      const json = await waitUntil(
        async () => JSON.parse((await cli(['status', workflowId, '--json'])).stdout),
        (s) => s.exportProgress?.totalFiles > 0,
        90_000,
      );
      expect(json.exportWorkflowId).toBe(`export:default.${COLLECTION}.exported_by_cli@offsite`);
      expect(json.exportProgress).toMatchObject({ phase: 'waiting', jobId: expect.any(String) });
      expect((await cli(['status', workflowId])).stdout).toMatch(exportLine);
      const own = await cli(['status', json.exportWorkflowId]);
      expect(own.stdout).toMatch(/\(exportWorkflow\): RUNNING — /);
      expect(own.stdout).toMatch(exportLine);
    } finally {
      stack().standin.faults.set({ timeScale: 1000 });
    }
    await stack().client.workflow.getHandle(workflowId).result();
    const closed = await cli(['status', `export:default.${COLLECTION}.exported_by_cli@offsite`]);
    expect(closed.stdout).toMatch(/\(exportWorkflow\): COMPLETED — /);
    expect(closed.stdout).toMatch(
      /^export default\.cli_docs@exported_by_cli with profile offsite: \d+ files, /m,
    );
  });

  it('schedule list: spec, time zone, workflow, collection; unknown ids say "no schedule <id>"', async () => {
    const created = await cli([
      'schedule',
      'create',
      'backup',
      '--collection',
      COLLECTION,
      '--cron',
      '0 2 * * *',
      '--timezone',
      'Europe/Berlin',
      '--paused',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toBe(`schedule backup-schedule:default.${COLLECTION} created\n`);
    try {
      const list = await cli(['schedule', 'list']);
      const [header, ...rows] = list.stdout.trim().split('\n');
      expect(header.split(/\s{2,}/).slice(0, 6)).toEqual([
        'SCHEDULE',
        'SPEC',
        'TIME ZONE',
        'WORKFLOW',
        'COLLECTION',
        'STATE',
      ]);
      const row = rows.find((r) => r.startsWith(`backup-schedule:default.${COLLECTION} `));
      expect(row?.split(/\s{2,}/).slice(0, 6)).toEqual([
        `backup-schedule:default.${COLLECTION}`,
        'cron 0 2 * * *',
        'Europe/Berlin',
        'backupWorkflow',
        `default.${COLLECTION}`,
        'paused',
      ]);
      const json = JSON.parse((await cli(['schedule', 'list', '--json'])).stdout) as Record<
        string,
        unknown
      >[];
      expect(json.find((s) => s.scheduleId === `backup-schedule:default.${COLLECTION}`)).toMatchObject({
        spec: 'cron 0 2 * * *',
        timezone: 'Europe/Berlin',
        target: `default.${COLLECTION}`,
      });
    } finally {
      await cli(['schedule', 'delete', `backup-schedule:default.${COLLECTION}`]);
    }
    for (const action of ['trigger', 'pause', 'delete']) {
      const unknown = await cli(['schedule', action, 'nope']);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('error: no schedule nope\n');
    }
  });
});
