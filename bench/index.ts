/**
 * `npm run bench`: every benchmark, one after another, each in its own process (so one's peak RSS and
 * warmed caches do not colour the next). Each prints our number, the reference measured in the same run
 * and the ratio; this only runs them and says which failed. `npm run bench -- engine gateway` runs a subset.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The benchmarks, in the order they run (the names after `bench:` in package.json). */
const BENCHES = ['engine', 'constrained', 'gateway', 'gateway-local', 'analytics'] as const;

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(BENCHES as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark ${unknown.join(', ')}: choose from ${BENCHES.join(', ')}\n`);
  process.exit(2);
}
const chosen = asked.length > 0 ? asked : BENCHES;
const failed: string[] = [];
for (const name of chosen) {
  process.stdout.write(`\n== bench:${name} ==\n`);
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (run.status !== 0) failed.push(`${name} (exit ${run.status ?? run.signal})`);
}
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
