/**
 * The store rows of `npm run bench` (registered in bench/run.ts): the partner server kit on PostgreSQL beside
 * SQLite. Starts and stops its own PostgreSQL (scripts/lib/postgres-server.ts, fsync on).
 *
 * - ingest: signed LIQX webhooks into the kit's webhook handler (bench/kit-server.ts) on PostgreSQL, one instance
 *   and three instances (separate processes, round-robin), sent from a worker thread (bench/webhook-sender.ts);
 * - events read p95 at 100k rows for every filter shape (none, provider, intent_id, external_ref, type only,
 *   status only, since only, type + status, no match), over HTTP to the kit's receipts handler, on SQLite and on
 *   PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { postgresReceiptStore, sqliteReceiptStore } from '../src/server/index.js';
import { startPostgres, type PostgresServer } from '../scripts/lib/postgres-server.js';
import { BENCH_WEBHOOK_SECRET, startKitProcess, startKitServer, type KitProcess } from './kit-server.js';
import type { SenderInput, SenderResult } from './webhook-sender.js';

export interface BenchRow {
  metric: string;
  value: number;
  unit: string;
  goal: string;
  pass: boolean | null;
}
export interface StoreBenchSizes {
  webhooks: number;
  seedRows: number;
  /** Reads per filter shape. */
  readsPerShape: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
const round = (n: number, digits = 3) => Number(n.toFixed(digits));
const START = Date.now() - 30 * 86_400_000;
const SPAN = 30 * 86_400_000;

function senderRun(input: SenderInput): Promise<SenderResult> {
  // Node 20 does not carry `--import tsx` into a worker: the worker loads the TypeScript sender through tsx's API.
  const sender = new URL('./webhook-sender.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(sender)}, ${JSON.stringify(import.meta.url)}))`, { eval: true, workerData: input });
  return new Promise<SenderResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`store sender exited with ${code} before reporting`)));
  }).finally(() => void worker.terminate());
}

async function ingestRows(pg: PostgresServer, sizes: StoreBenchSizes, rows: BenchRow[], notes: string[]): Promise<void> {
  for (const instances of [1, 3]) {
    const url = await pg.createDatabase(`ingest_${instances}`);
    const procs: KitProcess[] = [];
    try {
      // The first creates the schema; the rest start together.
      procs.push(await startKitProcess(url));
      procs.push(...(await Promise.all(Array.from({ length: instances - 1 }, () => startKitProcess(url)))));
      const concurrency = 16 * instances;
      const result = await senderRun({ urls: procs.map((p) => `${p.url}/webhooks/liqx`), secret: BENCH_WEBHOOK_SECRET, count: sizes.webhooks, concurrency });
      if (result.failed) throw new Error(`${result.failed} of ${sizes.webhooks} webhooks were not stored exactly once (${instances} instances)`);
      const rate = sizes.webhooks / result.seconds;
      rows.push({
        metric: `signed webhooks ingested (HTTP + verify + PostgreSQL commit), ${instances} instance${instances > 1 ? 's, round-robin' : ''}, ${sizes.webhooks} x ${concurrency} in flight`,
        value: Math.round(rate),
        unit: '/s',
        goal: '(reported)',
        pass: null,
      });
    } finally {
      for (const p of procs) p.child.kill('SIGTERM');
    }
  }
  notes.push('PostgreSQL ingest: each instance is a process serving the kit\'s webhook handler (bench/kit-server.ts, a pool of 10), all on one PostgreSQL 15 with fsync on, on the same 2-core machine as the sender');
}

/** The receipts-read shapes, each with the query string the page would send. */
function shapes(seedRows: number): { label: string; query: () => string }[] {
  const pick = (n: number) => Math.floor(Math.random() * n);
  const day = encodeURIComponent(new Date(START + SPAN - 86_400_000).toISOString());
  return [
    { label: 'no filter', query: () => '' },
    { label: 'provider only', query: () => 'provider=ipay' },
    { label: 'intent_id', query: () => `intent_id=pi_seed_${pick(seedRows)}` },
    { label: 'external_ref', query: () => `external_ref=ext_seed_${pick(Math.min(50_000, seedRows))}` },
    { label: 'type only', query: () => 'type=transaction.expired' },
    { label: 'status only', query: () => 'status=failed' },
    { label: 'since only', query: () => `since=${day}` },
    { label: 'type + status', query: () => 'type=transaction.failed&status=failed' },
    { label: 'no match (type)', query: () => 'type=nomatch' },
  ];
}

function seedSqlite(file: string, count: number): void {
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
    failure_code, failure_message, occurred_at, received_at, payload, reference, amount_minor, currency)
    VALUES (?, ?, ?, ?, ?, ?, 'PAYOUT', 1, NULL, NULL, ?, ?, ?, ?, 100000, 'KRW')`);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const [type, status] = i % 7 === 0 ? ['transaction.failed', 'failed'] : i % 11 === 0 ? ['transaction.expired', 'expired'] : ['transaction.completed', 'completed'];
      const at = new Date(START + Math.floor((i / count) * SPAN)).toISOString();
      const payload = JSON.stringify({ type, timestamp: at, data: { intent_id: `pi_seed_${i}`, external_ref: `ext_seed_${i % 50_000}`, status, phase: 'PAYOUT' } });
      insert.run(i % 10 === 0 ? 'ipay' : 'liqx', `msg_seed_${i}`, type, `pi_seed_${i}`, `ext_seed_${i % 50_000}`, status, at, at, payload, `pi_seed_${i}`);
    }
  })();
  db.close();
}

async function seedPostgres(url: string, count: number): Promise<void> {
  const store = await postgresReceiptStore({ connectionString: url });
  try {
    await store.pool.query(
      `INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
         occurred_at, received_at, payload, reference, amount_minor, currency)
       SELECT CASE WHEN i % 10 = 0 THEN 'ipay' ELSE 'liqx' END, 'msg_seed_' || i,
              CASE WHEN i % 7 = 0 THEN 'transaction.failed' WHEN i % 11 = 0 THEN 'transaction.expired' ELSE 'transaction.completed' END,
              'pi_seed_' || i, 'ext_seed_' || (i % 50000),
              CASE WHEN i % 7 = 0 THEN 'failed' WHEN i % 11 = 0 THEN 'expired' ELSE 'completed' END,
              'PAYOUT', 1, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), t,
              '{"type":"transaction.completed","data":{"intent_id":"pi_seed_' || i || '","phase":"PAYOUT"}}', 'pi_seed_' || i, 100000, 'KRW'
       FROM generate_series(0, $2::int - 1) AS i,
            LATERAL (SELECT to_timestamp(($1::double precision + (i::double precision / $2) * $3) / 1000) AS t) ts`,
      [START, count, SPAN],
    );
    // What autovacuum does by itself after a bulk load.
    await store.pool.query('ANALYZE webhook_receipts');
  } finally {
    await store.close();
  }
}

async function readRows(engine: 'SQLite' | 'PostgreSQL', partnerUrl: string, sizes: StoreBenchSizes, rows: BenchRow[]): Promise<void> {
  const label = sizes.seedRows >= 1000 ? `${Math.round(sizes.seedRows / 1000)}k` : String(sizes.seedRows);
  for (const shape of shapes(sizes.seedRows)) {
    const latencies: number[] = [];
    for (let i = 0; i < sizes.readsPerShape + 5; i++) {
      const t0 = performance.now();
      const res = await fetch(`${partnerUrl}/receipts?${shape.query()}&limit=20`);
      const json = (await res.json()) as { rows?: unknown[] };
      const ms = performance.now() - t0;
      if (res.status !== 200 || !Array.isArray(json.rows)) throw new Error(`events read failed: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
      if (i >= 5) latencies.push(ms); // the first five warm the statement and the pages
    }
    const p95 = quantile(latencies, 0.95);
    rows.push({ metric: `events read at ${label} rows, ${engine}, ${shape.label} (HTTP, limit=20), p95 of ${sizes.readsPerShape}`, value: round(p95), unit: 'ms', goal: '<= 5 ms', pass: p95 <= 5 });
  }
}

/** Appends the store rows (and notes) to the bench table. */
export async function storeRows(sizes: StoreBenchSizes, rows: BenchRow[], notes: string[]): Promise<void> {
  const t0 = performance.now();
  const pg = await startPostgres({ durable: true });
  try {
    await ingestRows(pg, sizes, rows, notes);

    const dataDir = mkdtempSync(join(tmpdir(), 'liqx-bench-reads-'));
    try {
      const file = join(dataDir, 'receipts.sqlite');
      await (await sqliteReceiptStore(file)).close();
      seedSqlite(file, sizes.seedRows);
      const kit = await startKitServer({ sqlite: file });
      try {
        await readRows('SQLite', kit.url, sizes, rows);
      } finally {
        await kit.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }

    const readsUrl = await pg.createDatabase('reads');
    await seedPostgres(readsUrl, sizes.seedRows);
    const kit = await startKitServer({ postgres: readsUrl });
    try {
      await readRows('PostgreSQL', kit.url, sizes, rows);
    } finally {
      await kit.close();
    }
  } finally {
    await pg.stop();
  }
  notes.push(`store rows (PostgreSQL started by the bench, ingest 1 and 3 instances, reads by filter shape on both engines) took ${Math.round((performance.now() - t0) / 1000)} s`);
}
