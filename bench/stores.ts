/**
 * The store rows of `npm run bench` (registered in bench/run.ts): the partner server kit on PostgreSQL beside
 * SQLite. Starts and stops its own PostgreSQL (scripts/lib/postgres-server.ts, fsync on).
 *
 * - ingest: signed LIQX webhooks into the kit's webhook handler (bench/kit-server.ts) on PostgreSQL, one instance
 *   and three instances (separate processes, round-robin), sent from a worker thread (bench/webhook-sender.ts);
 * - events read p95 at 100k rows for every filter shape (none, provider, intent_id, external_ref, type only,
 *   status only, since only, one owner, owner + status, type + status, two filters that match nothing together,
 *   no match), over HTTP to the kit's receipts handler, on SQLite and on PostgreSQL; each against 3x the intent_id
 *   lookup's p95 (issue: a read costs what its answer costs);
 * - SQLite ingest with and without two readers hammering the worst read (the no-match pair): reads must not
 *   starve ingestion (goal: 80 % of the rate without them).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/** Owners of the seeded rows: usr_seed_0 .. usr_seed_999, in turn. */
const OWNERS = 1000;
/** The worst read: two common filters that match nothing together. */
const WORST_READ = 'type=transaction.failed&status=completed';

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
    { label: 'one owner', query: () => `owner=usr_seed_${pick(OWNERS)}` },
    { label: 'owner + status', query: () => `owner=usr_seed_${pick(OWNERS)}&status=failed` },
    { label: 'type + status', query: () => 'type=transaction.failed&status=failed' },
    { label: 'type + status, no match together', query: () => WORST_READ },
    { label: 'provider + type + status, no match together', query: () => `provider=liqx&${WORST_READ}` },
    { label: 'no match (type)', query: () => 'type=nomatch' },
  ];
}

function seedSqlite(file: string, count: number): void {
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
    failure_code, failure_message, occurred_at, received_at, payload, reference, amount_minor, currency, owner)
    VALUES (?, ?, ?, ?, ?, ?, 'PAYOUT', 1, NULL, NULL, ?, ?, ?, ?, 100000, 'KRW', ?)`);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const [type, status] = i % 7 === 0 ? ['transaction.failed', 'failed'] : i % 11 === 0 ? ['transaction.expired', 'expired'] : ['transaction.completed', 'completed'];
      const at = new Date(START + Math.floor((i / count) * SPAN)).toISOString();
      const payload = JSON.stringify({ type, timestamp: at, data: { intent_id: `pi_seed_${i}`, external_ref: `ext_seed_${i % 50_000}`, status, phase: 'PAYOUT' } });
      insert.run(i % 10 === 0 ? 'ipay' : 'liqx', `msg_seed_${i}`, type, `pi_seed_${i}`, `ext_seed_${i % 50_000}`, status, at, at, payload, `pi_seed_${i}`, `usr_seed_${i % OWNERS}`);
    }
  })();
  db.close();
}

async function seedPostgres(url: string, count: number): Promise<void> {
  const store = await postgresReceiptStore({ connectionString: url, statementTimeoutMs: 300_000 }); // a bulk seed, not a request
  try {
    await store.pool.query(
      `INSERT INTO webhook_receipts (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts,
         occurred_at, received_at, payload, reference, amount_minor, currency, owner)
       SELECT CASE WHEN i % 10 = 0 THEN 'ipay' ELSE 'liqx' END, 'msg_seed_' || i,
              CASE WHEN i % 7 = 0 THEN 'transaction.failed' WHEN i % 11 = 0 THEN 'transaction.expired' ELSE 'transaction.completed' END,
              'pi_seed_' || i, 'ext_seed_' || (i % 50000),
              CASE WHEN i % 7 = 0 THEN 'failed' WHEN i % 11 = 0 THEN 'expired' ELSE 'completed' END,
              'PAYOUT', 1, to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), t,
              '{"type":"transaction.completed","data":{"intent_id":"pi_seed_' || i || '","phase":"PAYOUT"}}', 'pi_seed_' || i, 100000, 'KRW',
              'usr_seed_' || (i % ${OWNERS})
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

async function readRows(engine: 'SQLite' | 'PostgreSQL', partnerUrl: string, sizes: StoreBenchSizes, rows: BenchRow[], notes: string[]): Promise<void> {
  const label = sizes.seedRows >= 1000 ? `${Math.round(sizes.seedRows / 1000)}k` : String(sizes.seedRows);
  const measured: { shape: string; p95: number; p50: number }[] = [];
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
    measured.push({ shape: shape.label, p95: quantile(latencies, 0.95), p50: quantile(latencies, 0.5) });
  }
  // Each shape against the cheapest answer there is: one intent's row, looked up by its id.
  const lookup = measured.find((m) => m.shape === 'intent_id')!.p95;
  for (const { shape, p95 } of measured) {
    rows.push({
      metric: `events read at ${label} rows, ${engine}, ${shape} (HTTP, limit=20), p95 of ${sizes.readsPerShape}`,
      value: round(p95),
      unit: 'ms',
      goal: `<= 3x intent_id (${round(3 * lookup, 2)} ms)`,
      pass: p95 <= 3 * lookup,
    });
  }
  // The medians as well: on a busy machine a p95 measures the scheduler as much as the read.
  const lookup50 = measured.find((m) => m.shape === 'intent_id')!.p50;
  notes.push(`${engine} reads at ${label} rows, p50 as a multiple of the intent_id lookup's (${round(lookup50, 2)} ms): ${measured.map((m) => `${m.shape} ${(m.p50 / lookup50).toFixed(2)}`).join(', ')}`);
}

/** Readers in a worker thread (off the server's thread, as other clients would be): the worst read, back to back. */
function startReaders(url: string, readers: number): { stop(): Promise<number> } {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     let running = true, reads = 0;
     parentPort.on('message', () => { running = false; });
     const loop = async () => { while (running) { const res = await fetch(workerData.url); await res.arrayBuffer(); reads++; } };
     Promise.all(Array.from({ length: workerData.readers }, loop)).then(() => parentPort.postMessage(reads));`,
    { eval: true, workerData: { url, readers } },
  );
  return {
    stop: () =>
      new Promise<number>((resolve, reject) => {
        worker.once('message', (n: number) => void worker.terminate().then(() => resolve(n)));
        worker.once('error', reject);
        worker.postMessage('stop');
      }),
  };
}

/**
 * SQLite ingest on the 100k-row file, alone and with two readers hammering the worst read: alone, loaded, alone,
 * loaded, so a change in the machine's load during the row weighs on both sides of the ratio alike.
 */
async function ingestUnderReads(kitUrl: string, sizes: StoreBenchSizes, rows: BenchRow[], notes: string[]): Promise<void> {
  const count = Math.max(40, Math.round(sizes.webhooks / 4));
  const ingest = async () => {
    const result = await senderRun({ urls: [`${kitUrl}/webhooks/liqx`], secret: BENCH_WEBHOOK_SECRET, count, concurrency: 16 });
    if (result.failed) throw new Error(`${result.failed} of ${count} webhooks were not stored exactly once`);
    return result.seconds;
  };
  let aloneSeconds = 0;
  let loadedSeconds = 0;
  let aloneCpu = 0;
  let loadedCpu = 0;
  let reads = 0;
  for (let round = 0; round < 2; round++) {
    let cpu0 = serverThreadCpuMs();
    aloneSeconds += await ingest();
    aloneCpu += serverThreadCpuMs() - cpu0;
    const readers = startReaders(`${kitUrl}/receipts?${WORST_READ}&limit=20`, 2);
    try {
      cpu0 = serverThreadCpuMs();
      loadedSeconds += await ingest();
      loadedCpu += serverThreadCpuMs() - cpu0;
    } finally {
      reads += await readers.stop();
    }
  }
  const alone = (2 * count) / aloneSeconds;
  const loaded = (2 * count) / loadedSeconds;
  const ratio = loaded / alone;
  rows.push({ metric: `SQLite ingest with 2 readers hammering "${WORST_READ}" at ${sizes.seedRows} rows, share of its rate alone (${Math.round(alone)}/s)`, value: round(ratio, 2), unit: 'x', goal: '>= 0.8 x', pass: ratio >= 0.8 });
  notes.push(
    `SQLite ingest under reads: ${Math.round(alone)}/s alone, ${Math.round(loaded)}/s with 2 readers (${reads} reads of the worst query meanwhile, ${Math.round(reads / loadedSeconds)}/s), ` +
      `2 rounds of ${count} webhooks x 16 in flight each, alone and loaded in turn` +
      (Number.isNaN(aloneCpu) ? '' : `; the server thread's CPU per webhook ${(aloneCpu / (2 * count)).toFixed(3)} ms alone, ${(loadedCpu / (2 * count)).toFixed(3)} ms with the readers (their requests included)`),
  );
}

/**
 * CPU time of this process's main thread (the kit server's; the sender and the readers are worker threads), from
 * Linux's per-thread accounting in 10 ms ticks; NaN elsewhere. Unlike a rate, it does not depend on what else the
 * machine runs.
 */
function serverThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The SQLite reads per shape at `seedRows`, then SQLite ingest with and without two readers of the worst read. */
export async function sqliteReadRows(sizes: StoreBenchSizes, rows: BenchRow[], notes: string[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liqx-bench-reads-'));
  try {
    const file = join(dataDir, 'receipts.sqlite');
    await (await sqliteReceiptStore(file)).close();
    seedSqlite(file, sizes.seedRows);
    const kit = await startKitServer({ sqlite: file });
    try {
      await readRows('SQLite', kit.url, sizes, rows, notes);
      await ingestUnderReads(kit.url, sizes, rows, notes);
    } finally {
      await kit.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The PostgreSQL reads per shape at `seedRows`, on a database of `pg`. */
export async function postgresReadRows(pg: PostgresServer, sizes: StoreBenchSizes, rows: BenchRow[], notes: string[]): Promise<void> {
  const readsUrl = await pg.createDatabase('reads');
  await seedPostgres(readsUrl, sizes.seedRows);
  const kit = await startKitServer({ postgres: readsUrl });
  try {
    await readRows('PostgreSQL', kit.url, sizes, rows, notes);
  } finally {
    await kit.close();
  }
}

/** Appends the store rows (and notes) to the bench table. */
export async function storeRows(sizes: StoreBenchSizes, rows: BenchRow[], notes: string[]): Promise<void> {
  const t0 = performance.now();
  const pg = await startPostgres({ durable: true });
  try {
    await ingestRows(pg, sizes, rows, notes);
    await sqliteReadRows(sizes, rows, notes);
    await postgresReadRows(pg, sizes, rows, notes);
  } finally {
    await pg.stop();
  }
  notes.push(`store rows (PostgreSQL started by the bench, ingest 1 and 3 instances, reads by filter shape on both engines) took ${Math.round((performance.now() - t0) / 1000)} s`);
}

/**
 * On its own, the store rows or some of them: `node --import tsx bench/stores.ts [ingest] [sqlite-reads]
 * [postgres-reads]` (default: all three; `sqlite-reads` includes SQLite ingest under reads), full sizes, or
 * `BENCH_SMOKE=1` for a few iterations. Prints the rows as `npm run bench` does.
 */
if (import.meta.url === `file://${process.argv[1]}`) {
  const parts = process.argv.slice(2);
  const all = !parts.length;
  const unknown = parts.filter((p) => !['ingest', 'sqlite-reads', 'postgres-reads'].includes(p));
  if (unknown.length) throw new Error(`unknown part(s) ${unknown.join(', ')}: ingest, sqlite-reads, postgres-reads`);
  const smoke = process.env.BENCH_SMOKE === '1';
  const sizes: StoreBenchSizes = smoke ? { webhooks: 40, seedRows: 2_000, readsPerShape: 5 } : { webhooks: 4_000, seedRows: 100_000, readsPerShape: 200 };
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  const pg = all || parts.includes('ingest') || parts.includes('postgres-reads') ? await startPostgres({ durable: true }) : undefined;
  try {
    if (pg && (all || parts.includes('ingest'))) await ingestRows(pg, sizes, rows, notes);
    if (all || parts.includes('sqlite-reads')) await sqliteReadRows(sizes, rows, notes);
    if (pg && (all || parts.includes('postgres-reads'))) await postgresReadRows(pg, sizes, rows, notes);
  } finally {
    await pg?.stop();
  }
  console.log(['| Metric | Value | Goal | Result |', '|---|---:|---|---|', ...rows.map((r) => `| ${r.metric} | ${r.value} ${r.unit} | ${r.goal} | ${r.pass === null ? '–' : r.pass ? 'pass' : 'FAIL'} |`)].join('\n'));
  for (const note of notes) console.log(`# ${note}`);
}
