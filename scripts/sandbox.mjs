// `npm run sandbox`: the mock LIQX alone, for a partner's own page and backend. Builds the widget frame page
// (vite build --config demo/vite.config.ts -> demo/dist), then starts demo/server/sandbox.ts via tsx, which prints
// its configuration: PARTNER_ORIGINS, WEBHOOK_URL, the partner API key and the whsec_ webhook secret.
//   PARTNER_ORIGINS=http://localhost:4519 WEBHOOK_URL=http://localhost:4519/webhooks/liqx npm run sandbox
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');

console.log('Building the widget frame page (vite build --config demo/vite.config.ts)...');
const build = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const server = spawn(process.execPath, ['--import', 'tsx', 'demo/server/sandbox.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
