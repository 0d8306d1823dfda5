#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx milvus-standin --port 19530 --data ./data` works without a build.
const { spawn } = require('node:child_process');
const path = require('node:path');

const main = path.join(__dirname, '..', 'src', 'main.ts');
const child = spawn(process.execPath, [require.resolve('tsx/cli'), main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
