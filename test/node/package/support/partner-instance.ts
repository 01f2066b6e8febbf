/**
 * One partner server instance for the many-instance test: the kit's webhook handler on the PostgreSQL store,
 * with an onReceipt that writes an effect row through the transaction (so "exactly once" is countable in the
 * database). Prints `READY <port>` when listening.
 *
 *   DATABASE_URL=postgres://... LIQX_SECRET=whsec_... node --import tsx test/node/package/support/partner-instance.ts
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createWebhookHandler, postgresReceiptStore } from '../../../../src/server/index.js';

const store = await postgresReceiptStore({ connectionString: process.env.DATABASE_URL!, max: 20 });
await store.pool.query('CREATE TABLE IF NOT EXISTS receipt_effects (receipt_key TEXT NOT NULL, instance TEXT NOT NULL)');
const instance = process.env.INSTANCE ?? String(process.pid);
const handler = createWebhookHandler({
  providers: ['liqx'],
  secrets: { liqx: { secret: process.env.LIQX_SECRET! } },
  store,
  async onReceipt(receipt, tx) {
    await tx.client.query('INSERT INTO receipt_effects (receipt_key, instance) VALUES ($1, $2)', [`liqx:${receipt.eventId}`, instance]);
  },
});
const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`READY ${info.port}\n`);
});
process.once('SIGTERM', () => server.close(() => void store.close().then(() => process.exit(0))));
