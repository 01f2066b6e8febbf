// `npm test`: typecheck, build (the size test reads the built bundle), browser tests on Chromium, Firefox and
// WebKit (scripts/test-browser.mjs; each engine found or installed first), then node tests (servers, webhooks,
// end to end, and the examples: test/e2e/examples.e2e.test.ts packs the package, installs and builds every app in
// examples/ and runs each against the sandbox). Ends with the passed/failed counts and time of each browser engine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureChromium } from './find-chromium.mjs';
import { ensurePostgres } from './find-postgres.mjs';
import { ENGINES } from './find-engines.mjs';
import { formatSummary, runEngines } from './test-browser.mjs';

const chrome = ensureChromium();
// The store tests start their own PostgreSQL server; this installs it where missing (and says so in one line).
ensurePostgres();
const tapDir = mkdtempSync(join(tmpdir(), 'liqx-node-tests-'));
const env = { ...process.env, CHROME_PATH: chrome, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', NODE_TESTS_TAP: join(tapDir, 'node.tap') };

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit']],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['browser tests', null, ENGINES],
  ['node tests', 'npm', ['run', '--silent', 'test:node']],
];

let failed = [];
/** @type {string | null} */
let nodeLine = null;
/** @type {ReturnType<typeof runEngines>} */
let browserResults = [];
for (const [name, cmd, args] of steps) {
  if (cmd === null) {
    browserResults = runEngines([...args]);
    for (const r of browserResults) if (!r.ok) failed.push(`${name} (${r.label})`);
    continue;
  }
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (name === 'node tests') nodeLine = nodeSummary(status === 0, Math.round((Date.now() - started) / 1000));
  if (status !== 0) {
    failed.push(name);
    // A broken typecheck or build makes every later result meaningless.
    if (name === 'typecheck' || name === 'build') break;
  }
}
// One closing summary: each browser engine, then the node tests (their own runner's totals, read from its TAP).
if (browserResults.length) console.log(`\n${formatSummary(browserResults)}`);
if (nodeLine) console.log(nodeLine);
rmSync(tapDir, { recursive: true, force: true });
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}

/** `node:test` totals from the TAP the node tests also wrote: `  ok   node       250 passed, 0 failed, ...`. */
function nodeSummary(/** @type {boolean} */ ok, /** @type {number} */ seconds) {
  const file = join(tapDir, 'node.tap');
  const tap = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(tap)?.[1] ?? NaN);
  const [pass, fail, skipped, cancelled] = ['pass', 'fail', 'skipped', 'cancelled'].map(count);
  if (!Number.isFinite(pass)) return `Node tests: ${ok ? 'ok' : 'FAIL'} (no totals found)`;
  return `Node tests (node:test, test/node + test/e2e):\n  ${ok ? 'ok  ' : 'FAIL'} ${'node'.padEnd(9)} ${String(pass).padStart(4)} passed, ${String(fail + cancelled).padStart(3)} failed, ${String(skipped).padStart(3)} skipped  ${String(seconds).padStart(4)} s`;
}
