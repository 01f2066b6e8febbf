// `npm run sandbox`: the mock LIQX alone, for a partner's own page and backend.
//   PARTNER_ORIGINS=http://localhost:4519 WEBHOOK_URL=http://localhost:4519/webhooks/liqx npm run sandbox
// Builds what it serves when missing or older than its sources: the widget frame page (demo/vite.config.ts, into
// DEMO_DIST_DIR or demo/dist) and the script-tag file (dist/cdn/). Then starts demo/server/sandbox.ts via tsx,
// which prints its configuration (PARTNER_ORIGINS, WEBHOOK_URL, the partner API key, the whsec_ webhook secret);
// this script adds the script-tag file's URL on the sandbox and its integrity value.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
const SCRIPT_TAG = join(ROOT, 'dist/cdn/liqx-payout-widget.js');
const frameDist = resolve(ROOT, process.env.DEMO_DIST_DIR || 'demo/dist');

/** Newest modification time under the given paths (files and folders, recursively). */
function newest(paths) {
  let latest = 0;
  const walk = (p) => {
    const s = statSync(p);
    if (s.isDirectory()) for (const name of readdirSync(p)) walk(join(p, name));
    else latest = Math.max(latest, s.mtimeMs);
  };
  for (const p of paths) if (existsSync(join(ROOT, p))) walk(join(ROOT, p));
  return latest;
}

/** True when `output` is missing or older than any of `sources`. */
const stale = (output, sources) => !existsSync(output) || statSync(output).mtimeMs < newest(sources);

function vite(what, args) {
  console.log(`Building ${what} (vite ${args.join(' ')})...`);
  const build = spawnSync(process.execPath, [viteBin, ...args, '--logLevel', 'warn'], { stdio: 'inherit', cwd: ROOT });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

if (stale(join(frameDist, 'frame/index.html'), ['src', 'demo/frame', 'demo/contract', 'demo/vite.config.ts'])) {
  vite('the widget frame page', ['build', '--config', 'demo/vite.config.ts', '--outDir', frameDist, '--emptyOutDir']);
}
if (stale(SCRIPT_TAG, ['src', 'build', 'vite.config.ts'])) vite('the script-tag file', ['build', '--mode', 'script-tag']);

const server = spawn(process.execPath, ['--import', 'tsx', 'demo/server/sandbox.ts'], {
  cwd: ROOT,
  env: { ...process.env, DEMO_DIST_DIR: frameDist },
  stdio: ['inherit', 'pipe', 'inherit'],
});
/** @type {string | null} the banner so far; null once the script-tag lines are printed */
let pending = '';
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (pending === null) return;
  pending += chunk.toString();
  const url = /^Mock LIQX sandbox:\s+(\S+?)\/?$/m.exec(pending)?.[1];
  if (url && /^Webhook secret:/m.test(pending)) {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    console.log(`Script tag:             ${url}/cdn/liqx-payout-widget@${version}/liqx-payout-widget.js`);
    console.log(`Script tag integrity:   ${readFileSync(`${SCRIPT_TAG}.sri`, 'utf8').trim()}   (<script ... integrity crossorigin="anonymous">)`);
    pending = null;
  }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
