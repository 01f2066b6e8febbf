// `npm test`: typecheck, build (the size test reads the built bundle), browser tests, then node tests
// (servers, webhooks, end to end). Node's test runner goes last so its summary ends the output.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './find-chromium.mjs';

const chrome = ensureChromium();
const env = { ...process.env, CHROME_PATH: chrome, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };

const steps = [
  ['typecheck', 'npx', ['tsc', '--noEmit']],
  ['build', 'npm', ['run', '--silent', 'build']],
  ['browser tests', 'npx', ['wtr']],
  ['node tests', 'npm', ['run', '--silent', 'test:node']],
];

let failed = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (status !== 0) {
    failed.push(name);
    // A broken typecheck or build makes every later result meaningless.
    if (name === 'typecheck' || name === 'build') break;
  }
}
if (failed.length) {
  console.error(`\nFailed: ${failed.join(', ')}`);
  process.exit(1);
}
