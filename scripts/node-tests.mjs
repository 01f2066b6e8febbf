// Runs every test/node/**/*.test.ts and test/e2e/**/*.test.ts with node:test (Node 20 has no --test globs).
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['test/node', 'test/e2e'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.test.ts')) files.push(p);
  }
};
for (const root of roots) if (existsSync(root)) walk(root);
if (!files.length) {
  console.error(`No node tests found under ${roots.join(', ')}`);
  process.exit(1);
}
// NODE_TESTS_TAP=<file>: also write TAP there, so `npm test` can put the node totals in its closing summary.
const tap = process.env.NODE_TESTS_TAP ? ['--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${process.env.NODE_TESTS_TAP}`] : [];
// Two files at a time: most of them wait on servers and browsers, not the CPU, and each keeps its own ports, data
// and build folders (node:test's default on a 2-core machine is one at a time, which puts the CI run past 35 min).
const concurrency = process.env.NODE_TEST_CONCURRENCY ?? '2';
const { status } = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...tap, ...files.sort()], { stdio: 'inherit' });
process.exit(status ?? 1);
