// `npm test`: typecheck, build (the size test reads the built bundle), browser tests on Chromium, Firefox and
// WebKit (scripts/test-browser.mjs; each engine found or installed first), then node tests (servers, webhooks,
// end to end). Ends with the passed/failed counts and time of each browser engine.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './find-chromium.mjs';
import { ensurePostgres } from './find-postgres.mjs';
import { ENGINES } from './find-engines.mjs';
import { formatSummary, runEngines } from './test-browser.mjs';

const chrome = ensureChromium();
// The store tests start their own PostgreSQL server; this installs it where missing (and says so in one line).
ensurePostgres();
const env = { ...process.env, CHROME_PATH: chrome, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit']],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['browser tests', null, ENGINES],
  ['node tests', 'npm', ['run', '--silent', 'test:node']],
];

let failed = [];
/** @type {ReturnType<typeof runEngines>} */
let browserResults = [];
for (const [name, cmd, args] of steps) {
  if (cmd === null) {
    browserResults = runEngines([...args]);
    for (const r of browserResults) if (!r.ok) failed.push(`${name} (${r.label})`);
    continue;
  }
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (status !== 0) {
    failed.push(name);
    // A broken typecheck or build makes every later result meaningless.
    if (name === 'typecheck' || name === 'build') break;
  }
}
if (browserResults.length) console.log(`\n${formatSummary(browserResults)}`);
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
