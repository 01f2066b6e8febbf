// The three handlers of liqx-payout-widget/server, created once per server process; the route handlers call them.
import Database from 'better-sqlite3';
import { createReceiptsHandler, createSessionHandler, createWebhookHandler, sqliteReceiptStore } from 'liqx-payout-widget/server';
import * as z from 'zod';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`Set ${name} (npm run sandbox prints it).`);
  return value;
};

// Your login goes here (session cookie, JWT, ...). This example has one signed-in user; `owner` is your user id.
type User = { owner: string; name: string; email: string };
const currentUser = async (_request: Request): Promise<User | null> => ({ owner: 'usr_1', name: 'Jane Doe', email: 'jane@example.com' });
const signIn = () => Response.json({ error: { code: 'UNAUTHORIZED', message: 'Sign in first.' } }, { status: 401 });

async function create() {
  const store = await sqliteReceiptStore(process.env.DATABASE_FILE ?? 'receipts.sqlite');
  // Your own table, in the same file: which user each payout is for, marked delivered by its webhook receipt.
  const db = new Database(store.file);
  db.exec('CREATE TABLE IF NOT EXISTS payouts (intent_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, delivered_at TEXT)');
  return {
    sessions: createSessionHandler({
      liqx: { baseUrl: process.env.LIQX_API_URL ?? 'http://127.0.0.1:4318', apiKey: env('LIQX_API_KEY') },
      authorize: async (request) => (await currentUser(request)) ?? signIn(),
      // The page names the payout (one reference per click: a retry or a double click is the same intent).
      body: z.object({ payout_ref: z.string().regex(/^[A-Za-z0-9-]{8,40}$/) }),
      intent: (user, body) => ({
        external_ref: `${user.owner}.${body.payout_ref}`,
        external_user_id: user.owner,
        legal_name: user.name,
        user_email: user.email,
        return_url: process.env.PUBLIC_URL ?? 'http://localhost:4519/',
        // The amount comes from your ledger, never from the browser.
        amount_krw: '50000',
        amount_usdt: '37.500000',
      }),
      respond: ({ ctx, intent }) => {
        db.prepare('INSERT OR IGNORE INTO payouts (intent_id, user_id) VALUES (?, ?)').run(intent.intent_id, ctx.owner);
        return {};
      },
    }),
    webhooks: createWebhookHandler({
      providers: ['liqx'],
      secrets: { liqx: { secret: env('LIQX_WEBHOOK_SECRET') } },
      store,
      // Inside the receipt's transaction: both commit, or neither (then LIQX retries).
      onReceipt(receipt, tx) {
        if (receipt.status === 'completed') tx.db.prepare('UPDATE payouts SET delivered_at = ? WHERE intent_id = ?').run(receipt.occurredAt, receipt.intentId);
      },
      // A 5xx makes LIQX retry: log why, or a broken onReceipt fails silently.
      onError: (error) => console.error('webhook failed:', error),
    }),
    receipts: createReceiptsHandler({
      store,
      // A user reads the receipts of their own payouts only: ?intent_id= must be one of theirs.
      authorize: async (request) => {
        const user = await currentUser(request);
        if (!user) return signIn();
        const intentId = new URL(request.url).searchParams.get('intent_id');
        const own = intentId && db.prepare('SELECT 1 FROM payouts WHERE intent_id = ? AND user_id = ?').get(intentId, user.owner);
        return own ? user : Response.json({ error: { code: 'NOT_FOUND', message: 'No such payout.' } }, { status: 404 });
      },
      onError: (error) => console.error('receipts read failed:', error),
    }),
  };
}

let handlers: ReturnType<typeof create> | undefined;
/** The handlers, opened on the first request (one SQLite connection per server process). */
export const liqx = () => (handlers ??= create());
