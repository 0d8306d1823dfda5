import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The headless browser for UI tests: Debian's `chromium` (installed pinned by
 * `bash scripts/setup.sh test`), or CHROMIUM_PATH. playwright-core drives it; it never downloads one.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [
    env.CHROMIUM_PATH,
    ...['chromium', 'chromium-browser'].flatMap((name) =>
      (env.PATH ?? '').split(delimiter).map((dir) => dir && join(dir, name)),
    ),
  ];
  return candidates.find((path): path is string => {
    if (!path) return false;
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
