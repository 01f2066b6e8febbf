// The partner's backend with Express 5, receipts in PostgreSQL (any number of instances): creates widget sessions,
// receives LIQX's signed webhooks, and lets the signed-in user read the receipts of their own payouts.
import { getRequestListener } from '@hono/node-server';
import express from 'express';
import { createReceiptsHandler, createSessionHandler, createWebhookHandler, postgresReceiptStore } from 'liqx-payout-widget/server';
import pg from 'pg';
import * as z from 'zod';

const env = (name: string) => process.env[name] || (console.error(`Set ${name} (npm run sandbox prints the LIQX ones).`), process.exit(1));
const PORT = Number(process.env.PORT ?? 4519);

// Your login goes here (session cookie, JWT, ...). This example has one signed-in user; `owner` is your user id.
type User = { owner: string; name: string; email: string };
const currentUser = async (_request: Request): Promise<User | null> => ({ owner: 'usr_1', name: 'Jane Doe', email: 'jane@example.com' });
const signIn = () => Response.json({ error: { code: 'UNAUTHORIZED', message: 'Sign in first.' } }, { status: 401 });

const pool = new pg.Pool({ connectionString: env('DATABASE_URL') });
// Creates its tables on first start (versioned migrations, safe when instances start together).
const store = await postgresReceiptStore({ pool });
// Your own table: which user each payout is for, marked delivered by its webhook receipt.
await pool.query('CREATE TABLE IF NOT EXISTS payouts (intent_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, delivered_at TIMESTAMPTZ)');

const sessions = createSessionHandler({
  liqx: { baseUrl: process.env.LIQX_API_URL ?? 'http://127.0.0.1:4318', apiKey: env('LIQX_API_KEY') },
  authorize: async (request) => (await currentUser(request)) ?? signIn(),
  // The page names the payout (one reference per click: a retry or a double click is the same intent).
  body: z.object({ payout_ref: z.string().regex(/^[A-Za-z0-9-]{8,40}$/) }),
  intent: (user, body) => ({
    external_ref: `${user.owner}.${body.payout_ref}`,
    external_user_id: user.owner,
    legal_name: user.name,
    user_email: user.email,
    return_url: `http://localhost:${PORT}/`,
    // The amount comes from your ledger, never from the browser.
    amount_krw: '50000',
    amount_usdt: '37.500000',
  }),
  respond: async ({ ctx, intent }) => {
    await pool.query('INSERT INTO payouts (intent_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [intent.intent_id, ctx.owner]);
    return {};
  },
});

const webhooks = createWebhookHandler({
  providers: ['liqx'],
  secrets: { liqx: { secret: env('LIQX_WEBHOOK_SECRET') } },
  store,
  // Inside the receipt's transaction: both commit, or neither (then LIQX retries).
  async onReceipt(receipt, tx) {
    if (receipt.status === 'completed') await tx.client.query('UPDATE payouts SET delivered_at = $1 WHERE intent_id = $2', [receipt.occurredAt, receipt.intentId]);
  },
  // A 5xx makes LIQX retry: log why, or a broken onReceipt fails silently.
  onError: (error) => console.error('webhook failed:', error),
});

const receipts = createReceiptsHandler({
  store,
  // A user reads the receipts of their own payouts only: ?intent_id= must be one of theirs.
  authorize: async (request) => {
    const user = await currentUser(request);
    if (!user) return signIn();
    const intentId = new URL(request.url).searchParams.get('intent_id');
    const own = intentId && (await pool.query('SELECT 1 FROM payouts WHERE intent_id = $1 AND user_id = $2', [intentId, user.owner])).rowCount;
    return own ? user : Response.json({ error: { code: 'NOT_FOUND', message: 'No such payout.' } }, { status: 404 });
  },
  onError: (error) => console.error('receipts read failed:', error),
});

const app = express();
// The handlers read the raw body themselves (the webhook signature covers its bytes): no body parser before them.
app.post('/api/payouts', getRequestListener(sessions));
app.post('/webhooks/:provider', getRequestListener(webhooks));
app.get('/api/receipts', getRequestListener(receipts));
// A built page (any of ../*-vite, ../plain-html, ../angular): same origin, so no CORS.
if (process.env.STATIC_DIR) app.use(express.static(process.env.STATIC_DIR));

app.listen(PORT, process.env.HOST ?? '127.0.0.1', () => console.log(`Partner backend on http://localhost:${PORT}/`));
