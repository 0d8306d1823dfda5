import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * restic's own policy examples (restic/restic internal/data/snapshot_policy_test.go and its
 * testdata/policy_keep_snapshots_N golden files), transcribed as data in ./testdata: the 103
 * snapshot times of TestApplyPolicy (restic-times.json) and, per policy, the snapshots restic keeps
 * with restic's reasons, written "time|reason,reason" (policy_keep_snapshots_N.json). Tag and
 * keep-within-<period> cases are left out (not part of our policy).
 */

const TESTDATA = join(__dirname, 'testdata');

export interface ResticCase {
  /** N of testdata/policy_keep_snapshots_N */
  golden: number;
  policy: Record<string, number | string>;
  keep: readonly string[];
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(join(TESTDATA, file), 'utf8')) as T;
}

export const RESTIC_TIMES: readonly string[] = readJson<string[]>('restic-times.json');

export const RESTIC_CASES: readonly ResticCase[] = readdirSync(TESTDATA)
  .map((file) => /^policy_keep_snapshots_(\d+)\.json$/.exec(file))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => ({ golden: Number(m[1]), ...readJson<Omit<ResticCase, 'golden'>>(m[0]) }))
  .sort((a, b) => a.golden - b.golden);
