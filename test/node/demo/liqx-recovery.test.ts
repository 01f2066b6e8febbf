/**
 * Recovery after missed webhooks, with real servers: the sandbox's mock LIQX, a partner endpoint running the kit's
 * webhook handler, and the receipt store on SQLite (a temp file) and on PostgreSQL (a server this test starts).
 *
 * - The endpoint is down past every retry (fast schedule: WEBHOOK_RETRY_BASE_MS 2, 4 attempts); it comes back;
 *   `reconcile` stores every missed receipt exactly once, and what a later webhook already stored stays once.
 * - `reconcile` twice, and three instances at once (separate stores on one database) while redeliveries arrive:
 *   each event stored once, `onReceipt` once per event (counted by effect rows written in its transaction).
 * - The `liqx-reconcile` command, three processes at once: each event once, the `--handler` once per event.
 * - Redelivery of a stored event: no second receipt.
 * Waits are conditions with timeouts: the dispatcher's `idle()` (every delivery succeeded or gave up) and polls.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startSandbox, type RunningSandbox } from '../../../demo/server/sandbox.js';
import { retryDelayRange } from '../../../demo/server/liqx/dispatcher.js';
import {
  LiqxDeliveryLog,
  createLiqxClient,
  createWebhookHandler,
  postgresReceiptStore,
  reconcile,
  sqliteReceiptStore,
  type LiqxClient,
  type LiqxEvent,
  type ReceiptStore,
  type ReconcileResult,
} from '../../../src/server/internal.js';
import type { PayoutReceipt } from '../../../src/webhooks/index.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';

const RETRY_BASE_MS = 2;
const MAX_ATTEMPTS = 4;
const tmp = mkdtempSync(join(tmpdir(), 'liqx-recovery-'));
let pgServer: PostgresServer;
before(async () => {
  pgServer = await startPostgres();
});
after(async () => {
  await pgServer?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Resolves with `promise`, or rejects naming what was awaited once `ms` have passed. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One engine: a fresh database per call, a store on it (several may be opened: "instances"), and an effects table
 * that onReceipt writes to inside the receipt's transaction.
 */
interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  fresh(): Promise<Db>;
}
interface Db {
  /** What the command line takes as --database. */
  location: string;
  open(): Promise<ReceiptStore<any>>;
  /** An onReceipt that writes one effect row (the event id) in the receipt's transaction, and counts its calls. */
  onReceipt(calls: string[]): (receipt: PayoutReceipt, tx: any) => unknown;
  effects(): Promise<string[]>;
  close(): Promise<void>;
}

const sqlite: Engine = {
  name: 'SQLite',
  async fresh() {
    const file = join(tmp, `receipts-${randomBytes(4).toString('hex')}.sqlite`);
    const first = await sqliteReceiptStore(file);
    const admin = new Database(file);
    admin.exec('CREATE TABLE effects (event_id TEXT NOT NULL)');
    admin.close();
    const opened: ReceiptStore<any>[] = [first];
    let handed = false;
    return {
      location: file,
      async open() {
        if (!handed) return ((handed = true), first);
        const s = await sqliteReceiptStore(file);
        opened.push(s);
        return s;
      },
      onReceipt: (calls) => (receipt, tx) => {
        calls.push(receipt.eventId!);
        tx.db.prepare('INSERT INTO effects (event_id) VALUES (?)').run(receipt.eventId);
      },
      async effects() {
        const db = new Database(file, { readonly: true });
        try {
          return (db.prepare('SELECT event_id FROM effects').all() as { event_id: string }[]).map((r) => r.event_id);
        } finally {
          db.close();
        }
      },
      async close() {
        for (const s of opened) await s.close();
      },
    };
  },
};

const postgres: Engine = {
  name: 'PostgreSQL',
  async fresh() {
    const url = await pgServer.createDatabase(`recovery_${randomBytes(4).toString('hex')}`);
    const admin = new pg.Pool({ connectionString: url, max: 2 });
    await admin.query('CREATE TABLE effects (event_id TEXT NOT NULL)');
    const opened: ReceiptStore<any>[] = [];
    return {
      location: url,
      async open() {
        const s = await postgresReceiptStore({ connectionString: url, max: 4 });
        opened.push(s);
        return s;
      },
      onReceipt: (calls) => async (receipt, tx) => {
        calls.push(receipt.eventId!);
        await tx.client.query('INSERT INTO effects (event_id) VALUES ($1)', [receipt.eventId]);
      },
      async effects() {
        return (await admin.query<{ event_id: string }>('SELECT event_id FROM effects')).rows.map((r) => r.event_id);
      },
      async close() {
        for (const s of opened) await s.close();
        await admin.end();
      },
    };
  },
};

/**
 * The partner's webhook endpoint: the kit's handler on `store`. While `down`, every connection is reset before any
 * answer (the port stays bound, so no other server can take it in between).
 */
async function partnerEndpoint(store: ReceiptStore<any>, onReceipt: (receipt: PayoutReceipt, tx: any) => unknown, secret: string) {
  const handler = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret } }, store, onReceipt });
  const listener = getRequestListener(handler);
  const state = { down: true };
  const server: Server = createServer((req, res) => (state.down ? req.socket.destroy() : listener(req, res)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/webhooks/liqx`,
    state,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const INTENT = {
  external_user_id: 'usr_recovery',
  legal_name: '홍길동',
  user_email: 'jane@example.com',
  return_url: 'https://partner.example/payouts/1',
  amount_krw: '100000',
  amount_usdt: '75.000000',
};

/** Plays `n` payouts to their outcome (completed, declined, refused at reservation, in turn); returns their intent ids. */
async function playPayouts(sandbox: RunningSandbox, client: LiqxClient, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const scenario = (['VERIFIED', 'USER_DECLINES', 'KYC_NOT_VERIFIED'] as const)[i % 3];
    const created = await client.createIntent({ ...INTENT, scenario, external_ref: `ord_${randomBytes(6).toString('hex')}` });
    if (scenario === 'KYC_NOT_VERIFIED') {
      assert.ok(!created.ok && created.code === 'KYC_NOT_VERIFIED' && created.intentId, JSON.stringify(created));
      ids.push(created.intentId!);
      continue;
    }
    assert.ok(created.ok, JSON.stringify(created));
    const session = await client.createWidgetSession(created.data.intent_id);
    assert.ok(session.ok, JSON.stringify(session));
    const path = scenario === 'VERIFIED' ? 'confirm' : 'decline';
    const res = await fetch(`${sandbox.url}/v1/widget/payout/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${session.data.session_token}`, 'content-type': 'application/json' },
      body: JSON.stringify(path === 'decline' ? { reason_code: 'USER_DECLINED' } : {}),
    });
    assert.equal(res.status, 200, await res.text());
    ids.push(created.data.intent_id);
  }
  return ids;
}

/** Every event since `since`, page by page (`limit` 2, so the cursor is exercised). */
async function allEvents(client: LiqxClient, since: Date): Promise<LiqxEvent[]> {
  const events: LiqxEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listEvents({ since, limit: 2, ...(cursor ? { cursor } : {}) });
    assert.ok(page.ok, JSON.stringify(page));
    events.push(...page.data.data);
    cursor = page.data.next_cursor ?? undefined;
  } while (cursor);
  return events;
}

async function deliveryLog(sandbox: RunningSandbox, query: string) {
  const res = await fetch(`${sandbox.url}/v1/webhook-deliveries?${query}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
  assert.equal(res.status, 200);
  return LiqxDeliveryLog.parse(await res.json()).deliveries;
}

/** A sandbox whose webhooks go to `url()`, on the fast schedule, and a client for it. */
async function sandboxFor(url: () => string) {
  const sandbox = await startSandbox({ port: 0, confirmDelayMs: 0, webhookUrl: url, webhookRetryBaseMs: RETRY_BASE_MS, webhookMaxAttempts: MAX_ATTEMPTS });
  const client = createLiqxClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
  return { sandbox, client };
}

/** The one receipt of each intent; fails on none or more than one. */
async function oneReceiptEach(store: ReceiptStore<any>, intentIds: string[]) {
  for (const intent_id of intentIds) {
    const page = await store.list({ limit: 100, intent_id });
    assert.equal(page.rows.length, 1, `receipts of ${intent_id}: ${page.rows.length}`);
  }
  return (await store.list({ limit: 100 })).rows;
}

const sorted = (xs: string[]) => [...xs].sort();

for (const engine of [sqlite, postgres]) {
  describe(`recovery on ${engine.name}`, () => {
    test('endpoint down past every retry, back up: reconcile stores every missed receipt once; again: nothing new; redeliver: no duplicate', { timeout: 120_000 }, async (t) => {
      const db = await engine.fresh();
      const store = await db.open();
      const calls: string[] = [];
      let endpoint!: Awaited<ReturnType<typeof partnerEndpoint>>;
      const { sandbox, client } = await sandboxFor(() => endpoint.url);
      endpoint = await partnerEndpoint(store, db.onReceipt(calls), sandbox.webhookSecret);
      t.after(async () => {
        await sandbox.close();
        await endpoint.close();
        await db.close();
      });
      const since = new Date(Date.now() - 1000);

      const missed = await playPayouts(sandbox, client, 5);
      await within(sandbox.liqx.dispatcher.idle(), 30_000, 'every delivery given up');

      // LIQX gave up on each event after every attempt of the schedule.
      const events = await allEvents(client, since);
      assert.deepEqual(sorted(events.map((e) => e.intent_id)), sorted(missed));
      for (const event of events) {
        assert.equal(event.delivery.state, 'failed', JSON.stringify(event));
        assert.equal(event.delivery.attempts, MAX_ATTEMPTS);
        const log = await deliveryLog(sandbox, `event_id=${event.id}`);
        assert.deepEqual(log.map((d) => [d.attempt, d.trigger, d.ok, d.http_status, d.endpoint]), [1, 2, 3, 4].map((n) => [n, 'schedule', false, null, endpoint.url]));
        assert.ok(log.every((d) => d.error && d.webhook_id === event.id && d.duration_ms >= 0));
        log.slice(0, -1).forEach((d, i) => {
          const [min, max] = retryDelayRange(i + 1, RETRY_BASE_MS);
          assert.ok(d.next_delay_ms! >= min && d.next_delay_ms! <= max, `wait after attempt ${i + 1}: ${d.next_delay_ms}`);
        });
        assert.equal(log.at(-1)!.next_delay_ms, null);
      }
      assert.equal((await store.list({ limit: 100 })).rows.length, 0, 'nothing got through');

      // Back up: a new payout's webhook is delivered normally, then reconcile fetches what was missed.
      endpoint.state.down = false;
      const [live] = await playPayouts(sandbox, client, 1);
      await within(sandbox.liqx.dispatcher.idle(), 30_000, 'the live delivery');
      assert.equal(calls.length, 1, `the live webhook stored its receipt: ${JSON.stringify(await deliveryLog(sandbox, `intent_id=${live}`))}`);

      const first = await reconcile({ liqx: client, store, since, onReceipt: db.onReceipt(calls) });
      assert.deepEqual({ ...first, insertedIds: sorted(first.insertedIds) }, {
        events: 6,
        inserted: 5,
        duplicates: 1,
        insertedIds: sorted(events.map((e) => e.id)),
        failed: [],
      } satisfies ReconcileResult);
      const rows = await oneReceiptEach(store, [...missed, live!]);
      assert.equal(rows.length, 6);
      // Each receipt is stored under the id its webhooks carried, as a delivery would have stored it.
      for (const event of events) {
        const row = await store.get('liqx', event.id);
        assert.ok(row, event.id);
        assert.equal(row.intent_id, event.intent_id);
        assert.equal(row.event_type, event.type);
        assert.deepEqual(row.payload, event.payload);
      }
      const delivered = rows.find((r) => r.intent_id === live)!;
      const reconciled = rows.find((r) => r.event_type === delivered.event_type && r.intent_id !== live)!;
      const shape = (r: typeof delivered) => ({ ...r, webhook_id: 0, intent_id: 0, external_ref: 0, reference: r.reference === r.intent_id, attempts: 0, occurred_at: 0, received_at: 0, payload: 0 });
      assert.deepEqual(shape(reconciled), shape(delivered), 'the same normalization as the webhook path');

      const second = await reconcile({ liqx: client, store, since, onReceipt: db.onReceipt(calls) });
      assert.deepEqual([second.inserted, second.duplicates, second.failed], [0, 6, []]);
      assert.deepEqual(sorted(calls), sorted([...events.map((e) => e.id), rows.find((r) => r.intent_id === live)!.webhook_id]), 'onReceipt once per receipt');
      assert.deepEqual(sorted(await db.effects()), sorted(calls));

      // Redelivery of a reconciled event: the endpoint answers it as a duplicate; still one receipt.
      const again = await client.redeliver(events[0]!.id);
      assert.ok(again.ok, JSON.stringify(again));
      assert.deepEqual([again.data.trigger, again.data.ok, again.data.http_status, again.data.attempt], ['redeliver', true, 200, MAX_ATTEMPTS + 1]);
      await oneReceiptEach(store, [events[0]!.intent_id]);
      assert.equal(calls.length, 6);
      const after = await client.listEvents({ since });
      assert.ok(after.ok);
      assert.equal(after.data.data.find((e) => e.id === events[0]!.id)!.delivery.state, 'delivered');
    });

    test('three instances reconcile at once while redeliveries arrive: each event once, onReceipt once each', { timeout: 120_000 }, async (t) => {
      const db = await engine.fresh();
      const calls: string[] = [];
      let endpoint!: Awaited<ReturnType<typeof partnerEndpoint>>;
      const { sandbox, client } = await sandboxFor(() => endpoint.url);
      endpoint = await partnerEndpoint(await db.open(), db.onReceipt(calls), sandbox.webhookSecret);
      t.after(async () => {
        await sandbox.close();
        await endpoint.close();
        await db.close();
      });
      const since = new Date(Date.now() - 1000);
      const intents = await playPayouts(sandbox, client, 9);
      await within(sandbox.liqx.dispatcher.idle(), 30_000, 'every delivery given up');
      const events = await allEvents(client, since);
      assert.equal(events.length, 9);

      endpoint.state.down = false;
      const instances = [await db.open(), await db.open(), await db.open()];
      const [redeliveries, ...runs] = await within(
        Promise.all([
          Promise.all(events.map((e) => client.redeliver(e.id))),
          ...instances.map((store) => reconcile({ liqx: client, store, since, pageSize: 4, onReceipt: db.onReceipt(calls) })),
        ]),
        60_000,
        'three reconciles and nine redeliveries',
      );
      const viaWebhook = (redeliveries as Awaited<ReturnType<LiqxClient['redeliver']>>[]).map((r) => (assert.ok(r.ok, JSON.stringify(r)), r.data));
      assert.ok(viaWebhook.every((a) => a.ok && a.http_status === 200));
      const results = runs as ReconcileResult[];
      for (const r of results) {
        assert.deepEqual(r.failed, []);
        assert.equal(r.inserted + r.duplicates, 9);
      }
      const inserted = results.flatMap((r) => r.insertedIds);
      assert.equal(new Set(inserted).size, inserted.length, 'no event inserted by two instances');
      await oneReceiptEach(instances[0]!, intents);
      assert.deepEqual(sorted(calls), sorted(events.map((e) => e.id)), 'onReceipt once per event, by whichever path stored it');
      assert.deepEqual(sorted(await db.effects()), sorted(events.map((e) => e.id)), 'one committed effect per event');
    });

    test('the liqx-reconcile command on three processes at once: each event once, its --handler once each', { timeout: 180_000 }, async (t) => {
      const db = await engine.fresh();
      let endpoint!: Awaited<ReturnType<typeof partnerEndpoint>>;
      const { sandbox, client } = await sandboxFor(() => endpoint.url);
      endpoint = await partnerEndpoint(await db.open(), () => {}, sandbox.webhookSecret);
      t.after(async () => {
        await sandbox.close();
        await endpoint.close();
        await db.close();
      });
      const intents = await playPayouts(sandbox, client, 6);
      await within(sandbox.liqx.dispatcher.idle(), 30_000, 'every delivery given up');

      const handler = join(tmp, `handler-${randomBytes(4).toString('hex')}.mjs`);
      writeFileSync(
        handler,
        `export function onReceipt(receipt, tx) {
           if (tx.db) tx.db.prepare('INSERT INTO effects (event_id) VALUES (?)').run(receipt.eventId);
           else return tx.client.query('INSERT INTO effects (event_id) VALUES ($1)', [receipt.eventId]);
         }\n`,
      );
      const run = () =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/reconcile-cli.ts', '--since', '10m', '--database', db.location, '--handler', handler, '--page-size', '4'], {
            env: { ...process.env, LIQX_API_URL: sandbox.url, LIQX_API_KEY: sandbox.apiKey },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (c) => (out += c));
          child.stderr.on('data', (c) => (err += c));
          child.once('error', reject);
          child.once('exit', (code) => resolve({ code, out, err }));
        });
      const runs = await within(Promise.all([run(), run(), run()]), 120_000, 'three liqx-reconcile processes');
      const results = runs.map((r) => {
        assert.equal(r.code, 0, r.err);
        return JSON.parse(r.out) as ReconcileResult;
      });
      for (const r of results) assert.deepEqual([r.events, r.inserted + r.duplicates, r.failed], [6, 6, []]);
      assert.equal(results.reduce((n, r) => n + r.inserted, 0), 6, 'six receipts stored in all');
      const store = await db.open();
      await oneReceiptEach(store, intents);
      const ids = (await allEvents(client, new Date(Date.now() - 600_000))).map((e) => e.id);
      assert.deepEqual(sorted(await db.effects()), sorted(ids), 'the handler ran once per event');

      const again = await run();
      assert.equal(again.code, 0, again.err);
      assert.deepEqual((JSON.parse(again.out) as ReconcileResult).inserted, 0);

      const usage = await new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/reconcile-cli.ts', '--since', 'yesterday', '--database', db.location], {
          env: { ...process.env, LIQX_API_URL: sandbox.url, LIQX_API_KEY: sandbox.apiKey },
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let out = '';
        child.stdout.on('data', (c) => (out += c));
        child.once('exit', (code) => resolve({ code, out }));
      });
      assert.equal(usage.code, 2);
      assert.equal(JSON.parse(usage.out).code, 'USAGE');
    });
  });
}
