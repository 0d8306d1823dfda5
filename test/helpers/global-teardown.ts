import { rmSync } from 'node:fs';

/** jest globalTeardown: stops the run's shared dev server and removes the bundle (global-setup.ts). */
export default async function globalTeardown(): Promise<void> {
  const shared = globalThis.sharedTemporal;
  globalThis.sharedTemporal = undefined;
  await shared?.env?.teardown();
  if (shared?.bundleDir) rmSync(shared.bundleDir, { recursive: true, force: true });
}
