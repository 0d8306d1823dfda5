import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<Record<string, number>>`
 * returning medians and ratios measured in that one run), prints them and writes bench/results.json.
 * Speed and memory targets live here, never in timed tests.
 */
async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only || f.includes(only))
    .sort();
  const results: Record<string, Record<string, number>> = {};
  for (const file of files) {
    const name = file.replace(/\.bench\.ts$/, '');
    console.log(`[bench] ${name}`);
    const mod = (await import(join(__dirname, file))) as { run: () => Promise<Record<string, number>> };
    results[name] = await mod.run();
    for (const [metric, value] of Object.entries(results[name])) console.log(`  ${metric}: ${value}`);
  }
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    machine: `${process.platform}-${process.arch}`,
    results,
  };
  if (!only) writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
