/**
 * The server the ingest and read benchmarks measure: the kit's own handlers (createWebhookHandler,
 * createReceiptsHandler) on a SQLite store, served by node:http through @hono/node-server's request listener and
 * nothing else. No demo code: the figures are the package's, not the demo partner's.
 *
 *   POST /webhooks/:provider   the webhook handler (LIQX, Standard Webhooks)
 *   GET  /receipts?...         the receipts read, as an operator (every owner)
 */
import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createReceiptsHandler, createWebhookHandler, sqliteReceiptStore } from '../src/server/index.js';

/** The bench's sandbox-only webhook secret. */
export const BENCH_WEBHOOK_SECRET = `whsec_${Buffer.from('liqx-bench-webhook-secret-not-for-production').toString('base64')}`;

export interface KitServer {
  /** Origin, e.g. http://127.0.0.1:PORT. */
  url: string;
  close(): Promise<void>;
}

/** Starts the kit's handlers on `file` (created with the kit's schema if absent), on a free loopback port. */
export async function startKitServer(file: string): Promise<KitServer> {
  const store = await sqliteReceiptStore(file);
  const webhooks = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: BENCH_WEBHOOK_SECRET } }, store });
  const receipts = createReceiptsHandler({ store, authorize: () => ({ allOwners: true }) });
  const notFound = () => new Response(null, { status: 404 });
  const server = createServer(
    getRequestListener((request) => {
      const { pathname } = new URL(request.url);
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
