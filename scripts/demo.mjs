// `npm run demo`: builds the demo pages (vite build --config demo/vite.config.ts -> demo/dist), then starts
// the mock LIQX and the partner proxy (demo/server/main.ts via tsx), which prints the URL to open.
// Env: PORT (4317), LIQX_PORT (4318), DATA_DIR (.data), WEBHOOK_RETRY_BASE_MS (50), EXPIRES_TTL_MS (8000).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');

console.log('Building the demo pages (vite build --config demo/vite.config.ts)...');
const build = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const server = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
