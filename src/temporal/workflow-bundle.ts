import {
  bundleWorkflowCode,
  DefaultLogger,
  type WorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { errorText } from '../shared/text';

/**
 * The workflow bundle is built once, at `npm run build` (this file as a script), not by webpack at
 * every worker start. The worker uses it when it exists and no source file is newer; otherwise
 * (development, or sources edited since the build) it bundles from source as before, saying why.
 */

function projectRoot(): string {
  // From src/temporal under tsx and from dist/src/temporal after tsc alike.
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROOT = projectRoot();
export const WORKFLOW_BUNDLE_PATH = join(ROOT, 'dist', 'workflow-bundle.js');
const SOURCE_DIR = join(ROOT, 'src');
const WORKFLOWS_PATH = require.resolve('../workflows');
/** Bundled with the workflows: run metrics and the UI's activity summaries (src/workflows/interceptors.ts). */
const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../workflows/interceptors')];

/** The one way the workflows are bundled (the build, tests and benchmarks). */
export function buildWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: new DefaultLogger('WARN'),
  });
}

/** Writes the bundle atomically: a worker starting meanwhile reads the old file or the new one. */
export async function writeWorkflowBundle(path = WORKFLOW_BUNDLE_PATH): Promise<void> {
  const { code } = await buildWorkflowBundle();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, code);
  renameSync(`${path}.tmp`, path);
}

/** The newest .ts file under `dir` that is newer than `than` (ms), if any. */
export function newerSource(dir: string, than: number): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = newerSource(path, than);
      if (found) return found;
    } else if (entry.name.endsWith('.ts') && statSync(path).mtimeMs > than) return path;
  }
  return undefined;
}

export type WorkflowCode = Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'interceptors'>;

/** Bundling from source at start: the same interceptors the built bundle has. */
const FROM_SOURCE: WorkflowCode = {
  workflowsPath: WORKFLOWS_PATH,
  interceptors: { workflowModules: WORKFLOW_INTERCEPTOR_MODULES },
};

/**
 * The prebuilt bundle if it is there and up to date, else the workflows' source path. `note`
 * receives why the source is bundled when a prebuilt bundle exists but is stale.
 */
export function workflowCode(
  note: (line: string) => void = () => undefined,
  bundlePath = WORKFLOW_BUNDLE_PATH,
  sourceDir = SOURCE_DIR,
): WorkflowCode {
  if (!existsSync(bundlePath)) return FROM_SOURCE;
  const stale = existsSync(sourceDir) ? newerSource(sourceDir, statSync(bundlePath).mtimeMs) : undefined;
  if (!stale) return { workflowBundle: { codePath: bundlePath } };
  note(
    `${bundlePath} is older than ${stale}: bundling the workflows from source (npm run build refreshes it)`,
  );
  return FROM_SOURCE;
}

if (require.main === module) {
  writeWorkflowBundle(process.argv[2]).then(
    () => console.log(`workflow bundle: ${process.argv[2] ?? WORKFLOW_BUNDLE_PATH}`),
    (err: unknown) => {
      console.error(`workflow bundle failed: ${errorText(err)}`);
      process.exit(1);
    },
  );
}
