/**
 * Runs every benchmark in its own Node process (a fresh heap each, so one
 * benchmark's garbage does not slow the next) and prints their tables.
 * `npm run bench -- groupby` runs only the benchmarks whose name matches.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = new Set(['run.js', 'harness.js']);
const filter = process.argv[2];
const files = readdirSync(__dirname)
  .filter((f) => f.endsWith('.js') && !SKIP.has(f))
  .filter((f) => !filter || f.includes(filter))
  .sort();

console.log(`# scs-toolbox benchmarks (node ${process.version}, ${new Date().toISOString()})`);
let failed = 0;
for (const f of files) {
  const r = spawnSync(process.execPath, ['--max-old-space-size=16384', join(__dirname, f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmark ${f} failed with exit code ${r.status}`);
  }
}
process.exitCode = failed ? 1 : 0;
