import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

interface Report {
  date: string;
  node: string;
  machine: string;
  results: Record<string, Record<string, number>>;
  /** Benchmarks run on their own after the full run above. */
  runs?: Record<string, { date: string; node: string; machine: string }>;
}

/**
 * `npm run bench`: runs every bench/*.bench.ts (each exports `run(): Promise<Record<string, number>>`
 * returning medians and ratios measured in that one run), prints them and writes bench/results.json.
 * `npm run bench -- NAME` runs the matching ones and replaces only their entries, noting when and
 * where they ran under `runs`.
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
  const run = {
    date: new Date().toISOString(),
    node: process.version,
    machine: `${process.platform}-${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
  };
  const file = join(__dirname, 'results.json');
  const report =
    only && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Report) : { ...run, results: {} };
  for (const name of Object.keys(results)) {
    report.results[name] = results[name];
    if (only) report.runs = { ...report.runs, [name]: run };
  }
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
