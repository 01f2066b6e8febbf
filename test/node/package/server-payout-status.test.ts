/**
 * A payout's current status is safe in any order (src/server/payout-status.ts): every permutation of a payout's
 * events, delivered concurrently (and each twice) to three store instances on one database, ends in the same
 * status on every instance, and the change callbacks form one forward chain, one per step. On SQLite (three
 * connections on one file) and PostgreSQL (three pools on one server this test starts). No database mocks.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import {
  createWebhookHandler,
  postgresReceiptStore,
  reconcile,
  sqliteReceiptStore,
  statusRank,
  statusStep,
  type NewReceipt,
  type PayoutStatusChange,
  type ReceiptStore,
} from '../../../src/server/internal.js';
import type { WebhookProvider } from '../../../src/webhooks/index.js';
import { signStandardWebhook } from '../../../src/webhooks/internal.js';
import { liqxPayload } from '../../fixtures/webhooks/samples.js';
import { receipt } from './support/store-conformance.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';

const dir = mkdtempSync(join(tmpdir(), 'liqx-status-'));
let pgServer: PostgresServer;
before(async () => {
  pgServer = await startPostgres();
});
after(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type Event = { status: NewReceipt['status']; minute: number };
/** A payout's events in the order they happened (minute = occurred_at). */
const SCENARIOS: { provider: WebhookProvider; events: Event[] }[] = [
  {
    provider: 'liqx',
    events: [
      { status: 'created', minute: 0 },
      { status: 'pending', minute: 1 },
      { status: 'in_progress', minute: 2 },
      { status: 'completed', minute: 3 },
    ],
  },
  // Ipay sends `in_progress` again after `successful`.
  {
    provider: 'ipay',
    events: [
      { status: 'pending', minute: 0 },
      { status: 'in_progress', minute: 1 },
      { status: 'completed', minute: 2 },
      { status: 'in_progress', minute: 3 },
    ],
  },
  {
    provider: 'cashout-reference',
    events: [
      { status: 'created', minute: 0 },
      { status: 'awaiting', minute: 1 },
      { status: 'awaiting', minute: 2 },
      { status: 'expired', minute: 3 },
    ],
  },
  // No terminal event: the highest status, then the latest event of it.
  {
    provider: 'liqx',
    events: [
      { status: 'created', minute: 0 },
      { status: 'pending', minute: 1 },
      { status: 'pending', minute: 2 },
    ],
  },
];

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();
const rowOf = (provider: WebhookProvider, ref: string, e: Event, i: number): NewReceipt =>
  receipt(0, { provider, event_id: `${ref}_e${i}`, reference: ref, intent_id: provider === 'liqx' ? ref : null, status: e.status, occurred_at: at(e.minute) });

/** What the rule makes of events applied one after another: the final (status, event index) and the changes. */
function model(events: { e: Event; i: number }[]) {
  let current: { status: NewReceipt['status']; occurred_at: string; i: number } | undefined;
  let changes = 0;
  for (const { e, i } of events) {
    const step = statusStep(current, { status: e.status, occurred_at: at(e.minute) });
    if (step === 'change') changes++;
    if (step !== 'stale') current = { status: e.status, occurred_at: at(e.minute), i };
  }
  return { final: current!, changes };
}

function assertChain(changes: PayoutStatusChange[], finalStatus: NewReceipt['status']) {
  assert.ok(changes.length >= 1);
  assert.equal(changes[0]!.from, null, 'the first change starts from no status');
  for (let k = 1; k < changes.length; k++) {
    assert.equal(changes[k]!.from, changes[k - 1]!.to, 'each change starts where the previous one ended');
    assert.ok(statusRank(changes[k]!.to) > statusRank(changes[k - 1]!.to), 'only forward');
  }
  assert.equal(changes.at(-1)!.to, finalStatus, 'the last change is the final status');
}

function statusProperty(open: () => Promise<ReceiptStore<unknown>[]>, numRuns: number) {
  let stores: ReceiptStore<unknown>[] = [];
  before(async () => {
    stores = await open();
  });
  after(async () => {
    for (const s of stores) await s.close();
  });
  let payout = 0;

  test('every permutation, concurrently on three instances (each event twice): one status everywhere, one change per forward step', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SCENARIOS.keys()).chain((k) =>
          fc.record({
            k: fc.constant(k),
            order: fc.shuffledSubarray([...SCENARIOS[k]!.events.keys()], { minLength: SCENARIOS[k]!.events.length, maxLength: SCENARIOS[k]!.events.length }),
            instances: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: SCENARIOS[k]!.events.length, maxLength: SCENARIOS[k]!.events.length }),
          }),
        ),
        async ({ k, order, instances }) => {
          const { provider, events } = SCENARIOS[k]!;
          const expected = model(events.map((e, i) => ({ e, i })).sort((a, b) => a.e.minute - b.e.minute)).final;

          // Concurrent: all deliveries at once, each event to two instances.
          const ref = `po_${++payout}`;
          const changes: PayoutStatusChange[] = [];
          const cb = (_tx: unknown, change: PayoutStatusChange | null) => void (change && changes.push(change));
          const results = await Promise.all(
            order.flatMap((i, n) => [
              stores[instances[n]!]!.insert(rowOf(provider, ref, events[i]!, i), cb),
              stores[(instances[n]! + 1) % 3]!.insert(rowOf(provider, ref, events[i]!, i), cb),
            ]),
          );
          assert.equal(results.filter((r) => r.inserted).length, events.length, 'each event stored once');
          for (const s of stores) {
            const status = await s.getStatus(provider, ref);
            assert.equal(status?.status, expected.status);
            assert.equal(status?.webhook_id, `${ref}_e${expected.i}`);
          }
          assertChain(changes, expected.status);

          // One after another, in this permutation, rotating instances: exactly the changes the rule predicts.
          const seqRef = `po_${++payout}`;
          const seqChanges: PayoutStatusChange[] = [];
          for (const [n, i] of order.entries()) {
            await stores[n % 3]!.insert(rowOf(provider, seqRef, events[i]!, i), (_tx, change) => void (change && seqChanges.push(change)));
          }
          const predicted = model(order.map((i) => ({ e: events[i]!, i })));
          assert.equal(seqChanges.length, predicted.changes, 'one callback per forward step, none for a stale event');
          assert.equal((await stores[1]!.getStatus(provider, seqRef))?.status, expected.status);
        },
      ),
      { numRuns },
    );
  });
}

describe('payout status on SQLite: three connections on one file', () => {
  const file = join(dir, 'status.sqlite');
  statusProperty(async () => [await sqliteReceiptStore(file), await sqliteReceiptStore(file), await sqliteReceiptStore(file)], 60);

  test('the migration rebuilds each payout status from the receipts stored before it', async () => {
    const old = join(dir, 'backfill.sqlite');
    const store = await sqliteReceiptStore(old);
    await store.insert(receipt(1, { event_id: 'b1', status: 'pending' }));
    await store.insert(receipt(1, { event_id: 'b2', status: 'completed', owner: 'user_1' }));
    await store.insert(receipt(1, { event_id: 'b3', status: 'in_progress' }));
    await store.insert(receipt(1, { event_id: 'b4', status: 'failed' }));
    await store.insert(receipt(2, { event_id: 'b5', status: 'pending', occurred_at: at(1) }));
    await store.insert(receipt(2, { event_id: 'b6', status: 'pending', occurred_at: at(2) }));
    await store.insert(receipt(2, { event_id: 'b7', status: 'created', occurred_at: at(3) }));
    await store.close();
    // Back to the schema before the status table.
    const db = new Database(old);
    db.exec('DROP TABLE payout_status');
    db.pragma('user_version = 3');
    db.close();
    const again = await sqliteReceiptStore(old);
    try {
      const one = await again.getStatus('liqx', 'pi_1');
      assert.deepEqual([one?.status, one?.webhook_id, one?.owner], ['completed', 'b2', 'user_1'], 'the first terminal receipt');
      const two = await again.getStatus('liqx', 'pi_2');
      assert.deepEqual([two?.status, two?.webhook_id], ['pending', 'b6'], 'the highest status, its latest event');
    } finally {
      await again.close();
    }
  });

  test('createWebhookHandler calls onStatusChange once per real change, in the transaction, after onReceipt', async () => {
    const secret = `whsec_${Buffer.from('status-test-secret').toString('base64')}`;
    const store = await sqliteReceiptStore(join(dir, 'handler.sqlite'));
    const calls: string[] = [];
    const handler = createWebhookHandler({
      providers: ['liqx'],
      secrets: { liqx: { secret } },
      store,
      onReceipt: (r) => void calls.push(`receipt ${r.status}`),
      onStatusChange: (change, tx) => {
        assert.ok(tx.db.inTransaction);
        calls.push(`change ${change.from}->${change.to}`);
      },
    });
    const deliver = async (id: string, body: string) => {
      const ts = Math.floor(Date.now() / 1000);
      const res = await handler(
        new Request('http://partner.test/webhooks/liqx', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': await signStandardWebhook(secret, id, ts, body) },
          body,
        }),
      );
      assert.equal(res.status, 200);
    };
    try {
      await deliver('msg_s1', JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_status' })));
      await deliver('msg_s1', JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_status' })));
      await deliver('msg_s2', JSON.stringify(liqxPayload('transaction.failed', { intent_id: 'pi_status' })));
      assert.deepEqual(calls, ['receipt completed', 'change null->completed', 'receipt failed']);
      assert.equal((await store.getStatus('liqx', 'pi_status'))?.status, 'completed');
    } finally {
      await store.close();
    }
  });
});

test('reconcile goes through the same insert: onStatusChange fires once per real change, never again on a second run', async () => {
  const store = await sqliteReceiptStore(join(dir, 'reconcile.sqlite'));
  const event = (id: string, type: 'transaction.failed' | 'transaction.completed', minute: number) => {
    const payload = { ...liqxPayload(type, { intent_id: 'pi_rec' }), timestamp: at(minute) };
    return { id, type, created_at: at(minute), intent_id: 'pi_rec', payload, delivery: { state: 'failed' as const, attempts: 8, last_attempt_at: at(minute), last_http_status: 503 } };
  };
  // A LIQX events list (the partner API's page shape); the store underneath is real.
  const liqx = { listEvents: async () => ({ ok: true as const, status: 200, raw: null, data: { data: [event('evt_1', 'transaction.failed', 1), event('evt_2', 'transaction.completed', 2)], next_cursor: null } }) };
  const changes: string[] = [];
  const onStatusChange = (c: PayoutStatusChange) => void changes.push(`${c.from}->${c.to}`);
  try {
    const first = await reconcile({ liqx, store, since: at(0), onStatusChange });
    assert.deepEqual([first.inserted, first.failed.length], [2, 0]);
    const second = await reconcile({ liqx, store, since: at(0), onStatusChange });
    assert.equal(second.duplicates, 2);
    assert.deepEqual(changes, ['null->failed'], 'the first terminal is final; the completed event after it is stale');
    assert.equal((await store.getStatus('liqx', 'pi_rec'))?.status, 'failed');
  } finally {
    await store.close();
  }
});

describe('payout status on PostgreSQL: three pools on one server', () => {
  let url = '';
  statusProperty(async () => {
    url = await pgServer.createDatabase('payout_status');
    const first = await postgresReceiptStore({ connectionString: url, max: 4 });
    return [first, await postgresReceiptStore({ connectionString: url, max: 4 }), await postgresReceiptStore({ connectionString: url, max: 4 })];
  }, 40);

  test('the migration rebuilds each payout status from the receipts stored before it', async () => {
    const store = await postgresReceiptStore({ connectionString: await pgServer.createDatabase('status_backfill') });
    try {
      await store.insert(receipt(1, { event_id: 'b1', status: 'pending', reference: 'pi_\\1\0' }));
      await store.insert(receipt(1, { event_id: 'b2', status: 'completed', owner: 'user_1', reference: 'pi_\\1\0' }));
      await store.insert(receipt(1, { event_id: 'b3', status: 'failed', reference: 'pi_\\1\0' }));
      await store.insert(receipt(2, { event_id: 'b5', status: 'pending', occurred_at: at(1) }));
      await store.insert(receipt(2, { event_id: 'b6', status: 'pending', occurred_at: at(2) }));
      await store.insert(receipt(2, { event_id: 'b7', status: 'created', occurred_at: at(3) }));
      await store.pool.query('DROP TABLE payout_status; DELETE FROM liqx_receipt_migrations WHERE version = 5');
    } finally {
      await store.close();
    }
    const again = await postgresReceiptStore({ connectionString: pgServer.url('status_backfill') });
    try {
      const one = await again.getStatus('liqx', 'pi_\\1\0');
      assert.deepEqual([one?.status, one?.webhook_id, one?.owner], ['completed', 'b2', 'user_1'], 'the first terminal receipt');
      const two = await again.getStatus('liqx', 'pi_2');
      assert.deepEqual([two?.status, two?.webhook_id], ['pending', 'b6'], 'the highest status, its latest event');
    } finally {
      await again.close();
    }
  });
});
