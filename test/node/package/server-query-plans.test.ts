/**
 * Every filter shape of the receipts read is served by an index, on both engines, at 100,000 rows: the test
 * reads each query plan (SQLite EXPLAIN QUERY PLAN, PostgreSQL EXPLAIN after ANALYZE) for all 128 combinations
 * of owner, provider, intent_id, external_ref, type, status and since, with and without a cursor, and finds no
 * full scan and no sort of the matches. Filters that no single index serves together walk one index for at most
 * SCAN_BUDGET entries: paging through such a read (matches sparse, or none at all) returns exactly the matches.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postgresReceiptStore, sqliteReceiptStore, type ReceiptQuery, type ReceiptStore } from '../../../src/server/internal.js';
import { SCAN_BUDGET } from '../../../src/server/sql.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';

const ROWS = 100_000;
const START = Date.UTC(2026, 0, 1);
const SPAN = 30 * 86_400_000;
const FILTERS: Partial<ReceiptQuery> = {
  owner: 'usr_seed_7',
  provider: 'liqx',
  intent_id: 'pi_seed_77',
  external_ref: 'ext_seed_77',
  event_type: 'transaction.failed',
  status: 'failed',
  since: new Date(START + SPAN - 86_400_000).toISOString(),
};
const CURSOR = btoa(JSON.stringify([new Date(START + SPAN / 2).toISOString(), ROWS / 2])).replace(/=+$/, '');

/** Common values that never occur together in the seed. */
const NO_MATCH_TOGETHER: ReceiptQuery[] = [
  { limit: 20, event_type: 'transaction.failed', status: 'completed' },
  { limit: 20, provider: 'liqx', event_type: 'transaction.failed', status: 'completed' },
  { limit: 20, owner: 'usr_seed_7', status: 'pending' },
  { limit: 20, provider: 'ipay', status: 'pending' },
];

/** All 128 subsets of the filters, each once without and once with a cursor, plus the no-match shapes. */
function shapes(): { label: string; query: ReceiptQuery }[] {
  const keys = Object.keys(FILTERS) as (keyof typeof FILTERS)[];
  const out: { label: string; query: ReceiptQuery }[] = [];
  for (let mask = 0; mask < 1 << keys.length; mask++) {
    const picked = keys.filter((_, i) => mask & (1 << i));
    const query: ReceiptQuery = { limit: 20, ...Object.fromEntries(picked.map((k) => [k, FILTERS[k]])) };
    out.push({ label: picked.join('+') || '(none)', query }, { label: `${picked.join('+') || '(none)'} +cursor`, query: { ...query, cursor: CURSOR } });
  }
  out.push(
    { label: 'type no-match', query: { limit: 20, event_type: 'nomatch' } },
    { label: 'status+type no-match', query: { limit: 20, status: 'completed', event_type: 'nomatch' } },
    ...NO_MATCH_TOGETHER.map((query) => ({ label: `${Object.keys(query).filter((k) => k !== 'limit').join('+')} no match together`, query })),
  );
  return out;
}

const kinds = [
  ['transaction.completed', 'completed'],
  ['transaction.failed', 'failed'],
  ['transaction.expired', 'expired'],
] as const;
const kindOf = (i: number) => kinds[i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : 0];

let pgServer: PostgresServer;
const dir = mkdtempSync(join(tmpdir(), 'liqx-plans-'));
before(async () => {
  pgServer = await startPostgres();
});
after(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function checkAll(
  store: ReceiptStore<unknown>,
  bad: (plan: string, query: ReceiptQuery) => string | null,
  count: (where: string) => Promise<number>,
) {
  const failures: string[] = [];
  for (const { label, query } of shapes()) {
    const plan = await store.explain(query);
    const why = bad(plan, query);
    if (why) failures.push(`${label}: ${why}\n${plan}`);
  }
  assert.deepEqual(failures, [], failures.join('\n\n'));
  // And the plans are what runs: a real read of the no-match shape returns at once with nothing.
  assert.deepEqual((await store.list({ limit: 20, event_type: 'nomatch' })).rows, []);

  // Bounded walks lose nothing: every page of a sparse and of an empty combination, followed to the end.
  const walks: [ReceiptQuery, string][] = [
    [{ limit: 20, provider: 'ipay', event_type: 'transaction.expired' }, "provider = 'ipay' AND event_type = 'transaction.expired'"],
    [{ limit: 20, event_type: 'transaction.failed', status: 'completed' }, "event_type = 'transaction.failed' AND status = 'completed'"],
    [{ limit: 20, provider: 'ipay', status: 'pending' }, "provider = 'ipay' AND status = 'pending'"],
    [{ limit: 20, provider: 'liqx', event_type: 'transaction.failed', status: 'failed' }, "provider = 'liqx' AND event_type = 'transaction.failed' AND status = 'failed'"],
  ];
  for (const [query, where] of walks) {
    const seen: string[] = [];
    let cursor: string | undefined;
    let reads = 0;
    do {
      const page = await store.list({ ...query, ...(cursor ? { cursor } : {}) });
      assert.ok(page.rows.length <= query.limit);
      seen.push(...page.rows.map((r) => r.webhook_id));
      cursor = page.next_cursor ?? undefined;
      reads++;
    } while (cursor && reads < 1000);
    assert.equal(new Set(seen).size, seen.length, 'no row twice');
    assert.equal(seen.length, await count(where), where);
  }
  // A page whose filters match nothing in the first SCAN_BUDGET entries of a walk comes back empty, with a cursor
  // onwards (the walk of provider's index: no index serves provider and status together).
  const first = await store.list({ limit: 20, provider: 'ipay', status: 'pending' });
  assert.deepEqual([first.rows.length, typeof first.next_cursor], [0, 'string']);
  assert.ok(SCAN_BUDGET <= 1000);
}

/**
 * The index of the pair a PostgreSQL read's filters hold (a status with an owner or with an event type), unless an
 * intent_id or external_ref leads: a pair that matches nothing together then reads nothing.
 */
function pgPairIndex(query: ReceiptQuery): string | null {
  if (query.intent_id !== undefined || query.external_ref !== undefined || query.status === undefined) return null;
  if (query.owner !== undefined) return 'webhook_receipts_owner_status_received';
  if (query.event_type !== undefined) return 'webhook_receipts_event_type_status_received';
  return null;
}

test(`SQLite at ${ROWS} rows: every filter shape is an index search, none scans or sorts`, { timeout: 120_000 }, async () => {
  const file = join(dir, 'plans.sqlite');
  (await sqliteReceiptStore(file)).close();
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
    failure_code, failure_message, occurred_at, received_at, payload, reference, amount_minor, currency)
    VALUES (?, ?, ?, ?, ?, ?, 'PAYOUT', 1, NULL, NULL, ?, ?, '{}', ?, 100000, 'KRW')`);
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const [type, status] = kindOf(i);
      const at = new Date(START + Math.floor((i / ROWS) * SPAN)).toISOString();
      insert.run(i % 10 === 0 ? 'ipay' : 'liqx', `msg_seed_${i}`, type, `pi_seed_${i}`, `ext_seed_${i % 50_000}`, status, at, at, `pi_seed_${i}`);
    }
  })();
  db.close();
  const store = await sqliteReceiptStore(file);
  try {
    await checkAll(store, (plan, query) => {
      const filtered = Object.keys(query).some((k) => k !== 'limit');
      const filters = Object.keys(query).filter((k) => !['limit', 'since', 'cursor'].includes(k)).length;
      if (/USE TEMP B-TREE/.test(plan)) return 'sorts the matches';
      if (/SCAN webhook_receipts(?! USING (COVERING )?INDEX)/.test(plan)) return 'full table scan';
      // A filtered read must search an index range; only the unfiltered read walks the received_at index from
      // its newest end (and stops after `limit` rows).
      if (filtered && !/^SEARCH webhook_receipts USING INDEX/m.test(plan)) return 'not an index search';
      // Two filters or more: one index walked for at most SCAN_BUDGET entries (the bounded co-routine).
      if (filters > 1 && !/^CO-ROUTINE scan/m.test(plan)) return 'an unbounded walk';
      return null;
    }, async (where) => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare(`SELECT count(*) AS n FROM webhook_receipts WHERE ${where}`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    });
  } finally {
    await store.close();
  }
});

test(`PostgreSQL at ${ROWS} rows: every filter shape is an index scan, no Seq Scan`, { timeout: 120_000 }, async () => {
  // The bulk seed of 100k rows can outlast the store's 10 s default on a busy machine; this test is about plans.
  const store = await postgresReceiptStore({ connectionString: await pgServer.createDatabase('plans'), statementTimeoutMs: 110_000 });
  try {
    await store.pool.query(
      `INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
         occurred_at, received_at, payload, reference, amount_minor, currency)
       SELECT CASE WHEN i % 10 = 0 THEN 'ipay' ELSE 'liqx' END, 'msg_seed_' || i,
              CASE WHEN i % 7 = 0 THEN 'transaction.failed' WHEN i % 11 = 0 THEN 'transaction.expired' ELSE 'transaction.completed' END,
              'pi_seed_' || i, 'ext_seed_' || (i % 50000),
              CASE WHEN i % 7 = 0 THEN 'failed' WHEN i % 11 = 0 THEN 'expired' ELSE 'completed' END,
              'PAYOUT', 1, 'x', to_timestamp($1::double precision / 1000 + (i::double precision / $2) * $3 / 1000), '{}', 'pi_seed_' || i, 100000, 'KRW'
       FROM generate_series(0, $2 - 1) AS i`,
      [START, ROWS, SPAN],
    );
    // What autovacuum does on its own after a bulk load; the planner needs the statistics.
    await store.pool.query('ANALYZE webhook_receipts');
    await checkAll(store, (plan, query) => {
      const filters = Object.keys(query).filter((k) => !['limit', 'since', 'cursor'].includes(k)).length;
      if (/Seq Scan/.test(plan)) return 'Seq Scan';
      if (!/Index (Only )?Scan|Bitmap Index Scan/.test(plan)) return 'no index scan';
      const pair = pgPairIndex(query);
      // Filters that match together may be read from whichever index reaches `limit` matches soonest (the
      // statistics tell the planner they are common); ones that never occur together must not walk the received_at
      // index in the hope of meeting a match, but read an index range they narrow (the pair's, or one column's).
      if (NO_MATCH_TOGETHER.includes(query) && /using webhook_receipts_received /.test(plan)) return 'walks the received_at index for a combination that matches nothing';
      // Filters beyond the lead's (one column, or a pair) are checked on a walk of at most SCAN_BUDGET entries.
      if (filters > (pair ? 2 : 1) && !/Subquery Scan on scan/.test(plan)) return 'an unbounded walk';
      return null;
    }, async (where) => Number((await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_receipts WHERE ${where}`)).rows[0]!.n));
  } finally {
    await store.close();
  }
});
