/** Progress lines of the demo drill, stamped with the seconds since it started. */

export const startedAt = Date.now();
export function log(line: string): void {
  const t = ((Date.now() - startedAt) / 1000).toFixed(1).padStart(5);
  console.log(`[drill ${t}s] ${line}`);
}
