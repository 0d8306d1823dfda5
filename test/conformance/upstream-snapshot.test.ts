import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandin } from 'milvus-standin';
import upstream from './upstream-cases.json';
import excludedCases from './excluded-cases.json';

const PYTHON = join(__dirname, '..', '..', '.tools', 'venv', 'bin', 'python');
const SUITE = join(__dirname, 'pytest');
const SUITE_TIMEOUT_MS = 20 * 60 * 1000;
const excluded: Record<string, string> = excludedCases;

interface CaseResult {
  outcome: 'passed' | 'failed' | 'skipped';
  seconds: number;
  message: string;
}

/** Runs the pytest suite once against a fresh stand-in; returns each case's outcome by upstream id. */
async function runSuite(): Promise<Record<string, CaseResult>> {
  const standin = await startStandin({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'conformance-'));
  const resultsFile = join(dir, 'results.json');
  try {
    await promisify(execFile)(PYTHON, ['-m', 'pytest'], {
      cwd: SUITE,
      timeout: SUITE_TIMEOUT_MS,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        PYTHONDONTWRITEBYTECODE: '1',
        MILVUS_CONFORMANCE_URI: `http://${standin.address}`,
        CONFORMANCE_RESULTS: resultsFile,
      },
    }).catch((err: unknown) => {
      // pytest exits 1 when a case fails: each case's own test below reports it.
      if (!existsSync(resultsFile)) throw err;
    });
    return JSON.parse(readFileSync(resultsFile, 'utf8'));
  } finally {
    await standin.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Milvus's own snapshot suite (tests/python_client/milvus_client/test_milvus_client_snapshot.py at the
 * commit in upstream-cases.json), rewritten case by case in test/conformance/pytest and driven by the
 * unmodified pymilvus 3.0.2 against the stand-in. One test per upstream case; the cases in
 * excluded-cases.json need a feature the stand-in does not have and are skipped with the reason.
 */
describe('Milvus upstream snapshot suite against the stand-in', () => {
  let results: Record<string, CaseResult> = {};

  beforeAll(async () => {
    results = await runSuite();
  }, SUITE_TIMEOUT_MS + 60_000);

  it('runs every upstream case and skips exactly the excluded ones', () => {
    expect(Object.keys(results).sort()).toEqual([...upstream.cases].sort());
    const skipped = Object.keys(results).filter((id) => results[id].outcome === 'skipped');
    expect(skipped.sort()).toEqual(Object.keys(excluded).sort());
  });

  for (const id of upstream.cases) {
    if (excluded[id]) {
      it.skip(`${id} (stand-in lacks: ${excluded[id]})`, () => undefined);
      continue;
    }
    it(id, () => {
      const result = results[id];
      expect({ outcome: result?.outcome ?? 'not run', message: result?.message ?? '' }).toEqual({
        outcome: 'passed',
        message: '',
      });
    });
  }
});
