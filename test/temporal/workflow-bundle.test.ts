import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { workflowCode } from '../../src/temporal/workflow-bundle';
import { createWorker } from '../../src/worker';
import { uniqueTaskQueue } from '../../dev/temporal-test-env';
import { useStack } from '../helpers/stack';

const ROOT = resolve(__dirname, '..', '..');

/** `npm run build` writes the workflow bundle; the worker runs from it, or from source when it is stale or absent. */
describe('workflow bundle built at build time', () => {
  const stack = useStack();
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the build step writes a bundle a worker runs workflows from (no bundling at start)', async () => {
    const bundle = join(dir, 'workflow-bundle.js');
    execFileSync(process.execPath, ['--require', 'tsx/cjs', 'src/temporal/workflow-bundle.ts', bundle], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const taskQueue = uniqueTaskQueue('bundle');
    const worker = await createWorker({
      connection: stack().env.nativeConnection,
      namespace: stack().client.options.namespace,
      taskQueue,
      gateway: stack().gateway,
      workflowBundle: workflowCode(undefined, bundle, join(dir, 'no-sources')).workflowBundle,
    });
    const result = await worker.runUntil(
      stack().client.workflow.execute('checkMilvusWorkflow', {
        taskQueue,
        workflowId: `bundle-${taskQueue}`,
        args: [{}],
      }),
    );
    expect(result).toMatchObject({ healthy: true, collections: [] });
  });

  it('uses the bundle when no source is newer; falls back to the source, saying why, when one is or when there is none', () => {
    const sources = join(dir, 'src');
    mkdirSync(join(sources, 'workflows'), { recursive: true });
    const source = join(sources, 'workflows', 'backup.ts');
    const bundle = join(dir, 'built.js');
    writeFileSync(source, '');
    writeFileSync(bundle, '');
    utimesSync(source, new Date('2026-01-01'), new Date('2026-01-01'));
    utimesSync(bundle, new Date('2026-01-02'), new Date('2026-01-02'));
    const notes: string[] = [];
    expect(workflowCode((n) => notes.push(n), bundle, sources)).toEqual({
      workflowBundle: { codePath: bundle },
    });

    utimesSync(source, new Date('2026-01-03'), new Date('2026-01-03'));
    expect(workflowCode((n) => notes.push(n), bundle, sources)).toEqual({
      workflowsPath: require.resolve('../../src/workflows'),
      interceptors: { workflowModules: [require.resolve('../../src/workflows/interceptors')] },
    });
    expect(notes).toEqual([
      `${bundle} is older than ${source}: bundling the workflows from source (npm run build refreshes it)`,
    ]);
    expect(workflowCode(undefined, join(dir, 'absent.js'), sources)).toEqual({
      workflowsPath: require.resolve('../../src/workflows'),
      interceptors: { workflowModules: [require.resolve('../../src/workflows/interceptors')] },
    });
  });
});
