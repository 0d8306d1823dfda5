import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SnapshotWorkerClient } from '../../src/client';
import { seedDemoCollection } from 'milvus-standin';
import { InputError } from '../../src/contracts/parse-input';
import { waitUntil } from '../../dev/wait-until';
import { useStack } from '../helpers/stack';

/** The typed client, the CLI and Schedules, all against the real dev server, a worker and the stand-in. */
describe('client, CLI and schedules', () => {
  const stack = useStack({
    prepare: (s) => seedDemoCollection(s.standin.address, { collection: 'docs', rows: 120, dim: 8 }),
  });
  const client = () => new SnapshotWorkerClient(stack().client, stack().taskQueue);

  /** Runs the CLI as a person would, in its own process, against this dev server. */
  function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const child = spawn(
      process.execPath,
      [join(__dirname, '..', '..', 'bin', 'milvus-snapshot.js'), ...args],
      {
        env: {
          ...process.env,
          TEMPORAL_ADDRESS: stack().env.connection.options.address,
          TEMPORAL_TASK_QUEUE: stack().taskQueue,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    return new Promise((resolve) =>
      child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })),
    );
  }

  it('starting the same backup twice attaches to one run and makes one snapshot', async () => {
    const input = { collection: 'docs', snapshot: 'docs_twice' };
    const [a, b] = await Promise.all([client().startBackup(input), client().startBackup(input)]);
    expect(a.workflowId).toBe('backup:default.docs:docs_twice');
    expect(b.workflowId).toBe(a.workflowId);
    expect(b.firstExecutionRunId).toBe(a.firstExecutionRunId);
    const result = await a.result();
    expect(result).toMatchObject({ snapshot: 'docs_twice', collection: 'docs', rowCount: 120 });
    expect(
      (await stack().gateway.listSnapshots({ db: 'default', collection: 'docs' })).filter(
        (s) => s === 'docs_twice',
      ),
    ).toHaveLength(1);
    expect(stack().standin.faults.callCounts().CreateSnapshot).toBe(1);
  });

  it('refuses bad input before anything starts, naming the field and the rule', async () => {
    const before = stack().standin.faults.callCounts();
    await expect(client().startBackup({ collection: '9lives' })).rejects.toThrow(InputError);
    await expect(client().startBackup({ collection: '9lives' })).rejects.toThrow(
      /collection: must start with a letter/,
    );
    await expect(
      client().startRestore({
        snapshot: 'docs_twice',
        sourceCollection: 'docs',
        targetCollection: 'docs-copy',
      }),
    ).rejects.toThrow(/targetCollection/);
    expect(stack().standin.faults.callCounts()).toEqual(before);
  });

  it('a backup schedule is created, runs when triggered, and is deleted', async () => {
    const scheduleId = await client().scheduleBackup(
      { collection: 'docs', labels: { schedule: 'nightly' } },
      { every: '1 day', note: 'nightly backup' },
    );
    expect(scheduleId).toBe('backup-schedule:default.docs');
    const listed = await waitUntil(
      () => client().listSchedules(),
      (rows) => rows.some((s) => s.scheduleId === scheduleId),
    );
    expect(listed.find((s) => s.scheduleId === scheduleId)).toMatchObject({
      workflowType: 'backupWorkflow',
      paused: false,
      note: 'nightly backup',
    });
    const before = (await stack().gateway.listSnapshots({ db: 'default', collection: 'docs' })).length;
    await client().triggerSchedule(scheduleId);
    // The scheduled run names its snapshot from the template at workflow time.
    const names = await waitUntil(
      () => stack().gateway.listSnapshots({ db: 'default', collection: 'docs' }),
      (list) => list.length > before,
    );
    expect(names).toHaveLength(before + 1);
    expect(names.some((n) => /^docs_\d{8}_\d{6}$/.test(n))).toBe(true);
    await client().deleteSchedule(scheduleId);
    const remaining = await waitUntil(
      () => client().listSchedules(),
      (rows) => !rows.some((s) => s.scheduleId === scheduleId),
    );
    expect(remaining.some((s) => s.scheduleId === scheduleId)).toBe(false);
  });

  it('refuses a schedule with a fixed snapshot name or without a cadence', async () => {
    await expect(
      client().scheduleBackup({ collection: 'docs', snapshot: 'fixed' }, { every: '1h' }),
    ).rejects.toThrow(/snapshot: a schedule names each snapshot/);
    await expect(client().scheduleBackup({ collection: 'docs' }, {})).rejects.toThrow(
      /cron: give exactly one of cron or every/,
    );
  });

  it('CLI: a backup runs to completion and prints its result', async () => {
    const { code, stdout, stderr } = await cli([
      'backup',
      '--collection',
      'docs',
      '--snapshot',
      'docs_cli',
      '--label',
      'by=cli',
      '--json',
    ]);
    expect(stderr).toContain('backup started: workflow backup:default.docs:docs_cli');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ snapshot: 'docs_cli', rowCount: 120, labels: { by: 'cli' } });
  });

  it('CLI: bad input exits 2 naming the field, and nothing is created', async () => {
    const before = stack().standin.faults.callCounts().CreateSnapshot ?? 0;
    const bad = await cli(['backup', '--collection', 'docs', '--snapshot', 'no spaces allowed']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/snapshot: must start with a letter or underscore/);
    const typo = await cli(['backup', '--colection', 'docs']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown flag --colection');
    expect(stack().standin.faults.callCounts().CreateSnapshot ?? 0).toBe(before);
  });

  it('CLI: a failed run exits 1 with the reason', async () => {
    const { code, stderr } = await cli(['backup', '--collection', 'docs', '--snapshot', 'docs_cli']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/already exists/);
  });
});
