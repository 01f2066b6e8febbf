/**
 * The server the ingest and read benchmarks measure: the kit's own handlers (createWebhookHandler,
 * createReceiptsHandler) on a SQLite store, served by node:http through @hono/node-server's request listener and
 * nothing else. No demo code: the figures are the package's, not the demo partner's.
 *
 *   POST /webhooks/:provider   the webhook handler (LIQX, Standard Webhooks)
 *   GET  /receipts?...         the receipts read, as an operator (every owner)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createReceiptsHandler, createWebhookHandler, postgresReceiptStore, sqliteReceiptStore, type ReceiptStore } from '../src/server/index.js';
import { pathnameOf } from '../src/server/http.js';

/** The bench's sandbox-only webhook secret. */
export const BENCH_WEBHOOK_SECRET = `whsec_${Buffer.from('liqx-bench-webhook-secret-not-for-production').toString('base64')}`;

export interface KitServer {
  /** Origin, e.g. http://127.0.0.1:PORT. */
  url: string;
  close(): Promise<void>;
}

/**
 * Starts the kit's handlers on a free loopback port: on the SQLite file `store.sqlite` (created with the kit's
 * schema if absent), or on the PostgreSQL database `store.postgres` (a pool of 10, the kit's default).
 */
export async function startKitServer(where: string | { sqlite: string } | { postgres: string }): Promise<KitServer> {
  const target = typeof where === 'string' ? { sqlite: where } : where;
  const store: ReceiptStore<unknown> =
    'sqlite' in target ? await sqliteReceiptStore(target.sqlite) : await postgresReceiptStore({ connectionString: target.postgres });
  const webhooks = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: BENCH_WEBHOOK_SECRET } }, store });
  const receipts = createReceiptsHandler({ store, authorize: () => ({ allOwners: true }) });
  const notFound = () => new Response(null, { status: 404 });
  const server = createServer(
    getRequestListener((request) => {
      const pathname = pathnameOf(request.url);
      if (pathname.startsWith('/webhooks/')) return webhooks(request);
      if (pathname === '/receipts') return receipts(request);
      return notFound();
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await store.close();
    },
  };
}

/** A kit server in a process of its own (several instances on one PostgreSQL database). */
export interface KitProcess {
  child: ChildProcess;
  url: string;
}

/** Spawns this file as a process serving `DATABASE_URL`; resolves once it prints its URL. */
export function startKitProcess(databaseUrl: string, timeoutMs = 60_000): Promise<KitProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL(import.meta.url).pathname], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the kit server did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /^kit server: (http:\/\/[\d.:]+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the kit server exited with ${code} before it was ready`));
    });
  });
}

// As a process (startKitProcess): serves DATABASE_URL until SIGTERM.
if (import.meta.url === `file://${process.argv[1]}`) {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const kit = await startKitServer({ postgres: databaseUrl });
  process.once('SIGTERM', () => void kit.close().then(() => process.exit(0)));
  console.log(`kit server: ${kit.url}`);
}
