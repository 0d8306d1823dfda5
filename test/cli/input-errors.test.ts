import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';

/**
 * Bad input on the command line exits 2 with a message naming the key or the JSON problem, before
 * anything connects: the address below has no server, so reaching it would fail differently.
 */
const ENV = { TEMPORAL_ADDRESS: '127.0.0.1:9', TEMPORAL_TASK_QUEUE: 'none' };
const retention = ['retention', '--collection', 'docs', '--dry-run', '--policy'];

describe('CLI input errors', () => {
  it('a typo in a JSON policy names the key and the valid one meant', async () => {
    const { code, stderr } = await runCli([...retention, '{"keepLast":1,"keepWithn":"30d"}'], ENV);
    expect(code).toBe(2);
    expect(stderr).toContain("policy.keepWithn: unknown key; did you mean 'keepWithin'?");
  });

  it('a policy key far from every valid one is refused too', async () => {
    const { code, stderr } = await runCli([...retention, '{"keepForever":true}'], ENV);
    expect(code).toBe(2);
    expect(stderr).toContain('policy.keepForever: unknown key; valid keys: keepLast');
  });

  it('malformed JSON is reported as malformed JSON with the position', async () => {
    const { code, stderr } = await runCli([...retention, '{"keepLast":1,}'], ENV);
    expect(code).toBe(2);
    expect(stderr).toContain(
      'policy: expected key=value pairs or a JSON object; malformed JSON at position 14 (line 1 column 15): expected a string',
    );
    expect(stderr).not.toContain('expected object, received string');
  });

  it('__proto__ and constructor keys get the same clear error, not a TypeError', async () => {
    const proto = await runCli([...retention, '{"keepLast":1,"__proto__":{"keepDaily":3}}'], ENV);
    expect(proto.code).toBe(2);
    expect(proto.stderr).toContain('policy.__proto__: unknown key');
    const ctor = await runCli([...retention, '{"keepLast":1}', '--constructor', 'x'], ENV);
    expect(ctor.code).toBe(2);
    expect(ctor.stderr).toContain('unknown flag --constructor for retention');
    expect(`${proto.stderr}${ctor.stderr}`).not.toMatch(/TypeError/);
  });

  it('a mistyped flag names the flag meant', async () => {
    const { code, stderr } = await runCli(['backup', '--colection', 'docs'], ENV);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown flag --colection for backup; did you mean --collection?');
  });

  it('an input file with an unknown key or malformed JSON is refused naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-input-'));
    const typo = join(dir, 'typo.json');
    writeFileSync(typo, '{"collection":"docs","policy":{"keepLast":1},"dryrn":true}');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"collection":"docs",\n "policy": }');
    const a = await runCli(['retention', '--input-file', typo], ENV);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain("dryrn: unknown key; did you mean 'dryRun'?");
    const b = await runCli(['retention', '--input-file', bad], ENV);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--input-file .*bad\.json: malformed JSON at position 33 \(line 2 column 12\)/);
  });

  it('schedule options refuse unknown keys too', async () => {
    const { code, stderr } = await runCli(
      ['schedule', 'create', 'backup', '--collection', 'docs', '--every', '1h', '--timezon', 'UTC'],
      ENV,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('unknown flag --timezon for backup; did you mean --timezone?');
  });

  it('commands without an input schema refuse unknown flags too, and need their arguments', async () => {
    const status = await runCli(['status', 'some-id', '--colection', 'docs'], ENV);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('unknown flag --colection for status');
    const jobs = await runCli(['restore-jobs', 'list', '--colection', 'docs'], ENV);
    expect(jobs.code).toBe(2);
    expect(jobs.stderr).toContain(
      'unknown flag --colection for restore-jobs list; did you mean --collection?',
    );
    const snapshots = await runCli(['snapshots', 'list'], ENV);
    expect(snapshots.code).toBe(2);
    expect(snapshots.stderr).toContain('snapshots list needs --collection');
  });

  it('--every with --timezone is refused: Temporal ignores the zone for intervals', async () => {
    const { code, stderr } = await runCli(
      [
        'schedule',
        'create',
        'backup',
        '--collection',
        'docs',
        '--every',
        '6h',
        '--timezone',
        'Europe/Berlin',
      ],
      ENV,
    );
    expect(code).toBe(2);
    expect(stderr).toContain('timezone: applies to cron only');
  });
});
