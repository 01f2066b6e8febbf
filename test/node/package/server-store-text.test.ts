/**
 * Nothing verified is refused by the store, on either engine: text with U+0000, backslashes and any length up to
 * the webhook body cap is stored and read back identically by SQLite and PostgreSQL (a fast-check property over
 * both, and a signed LIQX webhook through createWebhookHandler), and a filter value neither engine can compare
 * (U+0000, a year outside 1970..9999, an impossible date in a cursor) is a 400 on both. A body naming a key twice
 * has one reading everywhere: the columns, the API and SQL on the stored text all see the last value.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import {
  DEFAULT_MAX_WEBHOOK_BYTES,
  createReceiptsHandler,
  createWebhookHandler,
  postgresReceiptStore,
  sqliteReceiptStore,
  type NewReceipt,
  type ReceiptStore,
  type StoredReceipt,
} from '../../../src/server/internal.js';
import Database from 'better-sqlite3';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';
import { hasDuplicateKeys } from '../../../src/server/json-keys.js';
import { receipt } from './support/store-conformance.js';

const dir = mkdtempSync(join(tmpdir(), 'liqx-text-'));
let pgServer: PostgresServer;
let sqlite: ReceiptStore;
let postgres: ReceiptStore;
before(async () => {
  pgServer = await startPostgres();
  sqlite = await sqliteReceiptStore(join(dir, 'text.sqlite'));
  postgres = await postgresReceiptStore({ connectionString: await pgServer.createDatabase('text') });
});
after(async () => {
  await sqlite?.close();
  await postgres?.close();
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});
const engines = () => [['SQLite', sqlite], ['PostgreSQL', postgres]] as const;
const withoutReceivedAt = ({ received_at: _, ...row }: StoredReceipt) => row;

/** Text biased towards what breaks stores (U+0000, backslashes, `\0` spelled out), any scalar value, any length. */
// Scalar values only (a lone surrogate is not text: both engines' UTF-8 encoders turn it into U+FFFD alike).
const piece = fc.oneof(fc.constantFrom('\0', '\\', '\\0', '\\\\', '0', "'", '%', '_'), fc.string({ unit: 'binary', maxLength: 8 }).map((s) => s.replace(/\p{Cs}/gu, '\uFFFD')));
const shortText = fc.array(piece, { maxLength: 12 }).map((p) => p.join(''));
const anyText = fc.oneof(
  { weight: 4, arbitrary: shortText },
  // Up to the webhook handler's body cap: far over PostgreSQL's index entry limit.
  { weight: 1, arbitrary: fc.tuple(shortText.filter((s) => s.length > 0), fc.integer({ min: 1, max: DEFAULT_MAX_WEBHOOK_BYTES })).map(([s, n]) => s.repeat(Math.ceil(n / s.length))) },
);
const nonEmpty = anyText.filter((s) => s.length > 0);

let n = 0;
test('property: whatever one engine stores, the other stores and reads back identically', { timeout: 300_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({ intent_id: nonEmpty, external_ref: nonEmpty, owner: nonEmpty, event_type: nonEmpty, failure_message: anyText, failure_code: nonEmpty, reference: nonEmpty, phase: anyText, id: shortText }),
      async (t) => {
        const row: NewReceipt = receipt(0, {
          // Unique per run; the event id is bounded (512) by the row schema, so it gets the short text.
          event_id: `ev_${++n}_${t.id}`.slice(0, 512),
          intent_id: t.intent_id,
          external_ref: t.external_ref,
          owner: t.owner,
          event_type: t.event_type,
          status: 'failed',
          failure_code: t.failure_code,
          failure_message: t.failure_message,
          reference: t.reference,
          phase: t.phase,
          payload: JSON.stringify({ message: t.failure_message }),
        });
        const stored: StoredReceipt[] = [];
        for (const [name, store] of engines()) {
          assert.deepEqual(await store.insert(row), { inserted: true }, name);
          const got = await store.get('liqx', row.event_id);
          assert.ok(got, `${name}: get`);
          stored.push(got);
          // Every filter a handler can pass (no U+0000, at most 200 characters) finds the row.
          for (const column of ['intent_id', 'external_ref', 'owner', 'event_type'] as const) {
            const value = row[column]!;
            if (value.includes('\0') || value.length > 200) continue;
            const { rows } = await store.list({ limit: 100, [column]: value });
            assert.ok(rows.some((r) => r.webhook_id === row.event_id), `${name}: by ${column}`);
          }
        }
        const [a, b] = stored.map(withoutReceivedAt);
        assert.deepEqual(a, b);
        assert.deepEqual([a!.intent_id, a!.owner, a!.failure_message, a!.phase], [row.intent_id, row.owner, row.failure_message, row.phase]);
      },
    ),
    { numRuns: 60 },
  );
});

const SECRET = `whsec_${Buffer.from('store-text-secret').toString('base64')}`;
describe('a signed LIQX webhook whose recipient controls the text', () => {
  for (const engine of ['SQLite', 'PostgreSQL'] as const) {
    test(`${engine}: a decline message with U+0000 and a 5,000-character reference are stored, not 503`, async () => {
      const store = engine === 'SQLite' ? sqlite : postgres;
      const handler = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: SECRET } }, store, onError: () => undefined });
      const intentId = `pi_${'x'.repeat(5000)}`;
      const body = JSON.stringify({
        type: 'transaction.failed',
        timestamp: new Date().toISOString(),
        data: {
          intent_id: intentId, external_ref: `ext_${'\\'.repeat(3000)}`, external_user_id: 'usr_1', owner: 'usr_alice', phase: 'PAYOUT', status: 'failed',
          amount_krw: '100000', amount_usdt: '75.000000', attempt: 1, failure: { code: 'ACCOUNT_INCORRECT', message: 'wrong\u0000account' },
        },
      });
      const id = `msg_text_${engine}`;
      const now = new Date();
      const res = await handler(new Request('http://partner.test/webhooks/liqx', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign(id, now, body) },
      }));
      assert.equal(res.status, 200, await res.clone().text());
      const row = await store.get('liqx', id);
      assert.equal(row?.failure_message, 'wrong\u0000account');
      assert.equal(row?.intent_id, intentId);
      assert.equal(row?.external_ref, `ext_${'\\'.repeat(3000)}`);
    });
  }
});

describe('filter values no engine can compare are 400 on both', () => {
  const cursorOf = (at: string, seq: number) => btoa(JSON.stringify([at, seq])).replace(/=+$/, '');
  const bad: [string, string][] = [
    ['intent_id=%00', 'intent_id'],
    ['external_ref=a%00b', 'external_ref'],
    ['type=%00', 'type'],
    ['owner=%00', 'owner'],
    ['since=0000-01-01T00:00:00Z', 'since'],
    ['since=0001-01-01T00:30:00%2B01:00', 'since'],
    ['since=1969-12-31T23:59:59Z', 'since'],
    [`cursor=${cursorOf('0000-01-01T00:00:00.000Z', 5)}`, 'cursor'],
    [`cursor=${cursorOf('2026-02-30T00:00:00.000Z', 5)}`, 'cursor'],
    [`cursor=${cursorOf('2026-01-01T00:00:00Z', 5)}`, 'cursor'],
    [`cursor=${cursorOf('2026-01-01T00:00:00.000Z', 2 ** 60)}`, 'cursor'],
  ];
  for (const engine of ['SQLite', 'PostgreSQL'] as const) {
    test(engine, async () => {
      const handler = createReceiptsHandler({ store: engine === 'SQLite' ? sqlite : postgres, authorize: () => ({ allOwners: true }), onError: () => undefined });
      for (const [query, path] of bad) {
        const res = await handler(new Request(`http://partner.test/receipts?${query}`));
        const body = (await res.json()) as { error?: { code: string; issues?: { path: string }[] } };
        assert.deepEqual([res.status, body.error?.code, body.error?.issues?.[0]?.path], [400, 'INVALID_REQUEST', path], `${engine} ${query}`);
      }
    });
  }
});

/** One value read with SQL from the SQLite file, outside the store (as a partner's own query would). */
function sqliteValue(sql: string, id: string): string {
  const db = new Database(join(dir, 'text.sqlite'), { readonly: true });
  try {
    return (db.prepare(sql).get(id) as { v: string }).v;
  } finally {
    db.close();
  }
}

describe('a key given twice has one reading: the last, as the columns read it', () => {
  test('hasDuplicateKeys: per object, escapes compared by meaning, strings and arrays skipped', () => {
    assert.equal(hasDuplicateKeys('{"a":1,"\\u0061":2}'), true);
    assert.equal(hasDuplicateKeys('{"a\\"b":1,"a\\"b":2}'), true);
    assert.equal(hasDuplicateKeys('{"d":{"x":1,"y":{"x":2},"x":3}}'), true);
    assert.equal(hasDuplicateKeys('{"a":{"a":1},"b":[{"a":1},{"a":2}],"c":"{\\"a\\":1,\\"a\\":2}"}'), false);
    assert.equal(hasDuplicateKeys('[1,"a","a",{"a":[]}]'), false);
  });

  for (const engine of ['SQLite', 'PostgreSQL'] as const) {
    test(`${engine}: columns, the receipts API and SQL on the stored payload agree`, async () => {
      const store = engine === 'SQLite' ? sqlite : postgres;
      const handler = createWebhookHandler({ providers: ['liqx'], secrets: { liqx: { secret: SECRET } }, store, onError: () => undefined });
      const send = async (id: string, body: string) => {
        const now = new Date();
        return handler(new Request('http://partner.test/webhooks/liqx', {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': new Webhook(SECRET).sign(id, now, body) },
        }));
      };
      const data = (ref: string) => `"intent_id":"pi_dup_${engine}","external_user_id":"usr_1","phase":"PAYOUT","status":"completed","amount_krw":"100000","amount_usdt":"75.000000","attempt":1,"external_ref":"${ref}"`;
      const dup = `{"type":"transaction.completed","timestamp":"${new Date().toISOString()}","data":{"external_ref":"ext_first",${data('ext_last')}}}`;
      assert.equal((await send(`msg_dup_${engine}`, dup)).status, 200);
      const row = await store.get('liqx', `msg_dup_${engine}`);
      assert.equal(row?.external_ref, 'ext_last');
      assert.equal((row?.payload as { data: { external_ref: string } }).data.external_ref, 'ext_last');
      const inSql = engine === 'SQLite'
        ? sqliteValue("SELECT json_extract(payload, '$.data.external_ref') AS v FROM webhook_receipts WHERE event_id = ?", `msg_dup_${engine}`)
        : (await (postgres as unknown as { pool: import('pg').Pool }).pool.query<{ v: string }>("SELECT payload::json->'data'->>'external_ref' AS v FROM webhook_receipts WHERE event_id = $1", [`msg_dup_${engine}`])).rows[0]!.v;
      assert.equal(inSql, 'ext_last', 'SQL on the stored text reads what the columns hold');

      // Without a duplicate the verified text is kept byte for byte (spacing included).
      const plain = `{ "type": "transaction.completed", "timestamp": "${new Date().toISOString()}", "data": {${data('ext_plain')}} }`;
      assert.equal((await send(`msg_plain_${engine}`, plain)).status, 200);
      const rawText = engine === 'SQLite'
        ? sqliteValue('SELECT payload AS v FROM webhook_receipts WHERE event_id = ?', `msg_plain_${engine}`)
        : (await (postgres as unknown as { pool: import('pg').Pool }).pool.query<{ payload: string }>('SELECT payload FROM webhook_receipts WHERE event_id = $1', [`msg_plain_${engine}`])).rows[0]!.payload;
      assert.equal(rawText, plain);
    });
  }
});

test('PostgreSQL: rows stored before the escape read back unchanged after the migration that adds it', async () => {
  const url = await pgServer.createDatabase('text_migration');
  const first = await postgresReceiptStore({ connectionString: url });
  // Back to the schema before the escape: its migration not applied, a row written as that version wrote it.
  await first.pool.query('DELETE FROM liqx_receipt_migrations WHERE version = 4');
  for (const c of ['intent_id', 'external_ref', 'event_type', 'owner']) {
    await first.pool.query(`DROP INDEX webhook_receipts_${c}_received`);
    await first.pool.query(`CREATE INDEX webhook_receipts_${c}_received ON webhook_receipts (${c}, received_at, seq)`);
  }
  const old = receipt(1, { event_id: 'msg_old\\0x', intent_id: 'pi_old\\\\0', failure_message: 'C:\\path\\0', owner: 'usr_old' });
  await first.pool.query(
    `INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, owner, phase, attempts, occurred_at, received_at, payload, failure_message)
     VALUES ('liqx', $1, $2, $3, $4, 'completed', $5, 'PAYOUT', 1, $6, now(), $7, $8)`,
    [old.event_id, old.event_type, old.intent_id, old.external_ref, old.owner, old.occurred_at, old.payload, old.failure_message],
  );
  await first.close();
  const migrated = await postgresReceiptStore({ connectionString: url });
  try {
    const row = await migrated.get('liqx', 'msg_old\\0x');
    assert.deepEqual([row?.intent_id, row?.failure_message], ['pi_old\\\\0', 'C:\\path\\0']);
    assert.equal((await migrated.list({ limit: 5, intent_id: 'pi_old\\\\0', owner: 'usr_old' })).rows.length, 1);
  } finally {
    await migrated.close();
  }
});
