/**
 * Runs the demo (`demo/server/main.ts`) as its own process on free ports, for tests and the bench that need a
 * separate server process (its own RSS, `kill -9`, several instances on one database).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface DemoProcess {
  child: ChildProcess;
  /** The partner origin, `http://127.0.0.1:<port>`. */
  url: string;
}

/** Starts the demo with `env` added (DATA_DIR, DATABASE_URL, ...); resolves once it prints its partner URL. */
export function startDemoProcess(env: Record<string, string>, timeoutMs = 60_000): Promise<DemoProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts'], {
    env: { ...process.env, PORT: '0', LIQX_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the demo did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /Partner CRM simulator: (http:\/\/[\d.:]+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited with ${code} before it was ready`));
    });
  });
}
