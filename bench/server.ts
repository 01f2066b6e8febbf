/**
 * Node: signed webhooks ingested per second and events read p95 on the kit's own handlers (SQLite), served by
 * bench/kit-server.ts (no demo code).
 *
 * - webhooks ingested per second: Standard-Webhooks-signed LIQX events POSTed to createWebhookHandler (signature
 *   check, one parse, normalization, SQLite group commit (WAL, synchronous=NORMAL by default) before the 2xx),
 *   16 in flight, sent from a worker thread (bench/webhook-sender.ts);
 * - events read p95: GET /receipts (createReceiptsHandler) with filters against a store seeded with 100,000 rows.
 *
 * Alone: `node --import tsx bench/server.ts [webhooks] [seedRows]` prints the ingest row only, on a fresh store or
 * one seeded first (the full run seeds 100,000) (for profiling:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/server.ts 4000`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { sqliteReceiptStore } from '../src/server/index.js';
import { BENCH_WEBHOOK_SECRET, startKitServer } from './kit-server.js';
import type { SenderInput, SenderResult } from './webhook-sender.js';
import { quantile, round, type Report } from './stats.js';

export interface ServerBenchSizes {
  webhooks: number;
  seedRows: number;
  reads: number;
}

const RECEIPTS_FILE = 'receipts.sqlite';

async function seedStore(dataDir: string, count: number): Promise<void> {
  await (await sqliteReceiptStore(join(dataDir, RECEIPTS_FILE))).close(); // creates the file and the schema exactly as the server does
  const db = new Database(join(dataDir, RECEIPTS_FILE));
  const insert = db.prepare(`INSERT INTO webhook_receipts
    (provider, event_id, event_type, intent_id, external_ref, status, phase, attempts, failure_code, failure_message,
     occurred_at, received_at, payload, reference, amount_minor, currency)
    VALUES ('liqx', ?, ?, ?, ?, ?, 'PAYOUT', 1, ?, ?, ?, ?, ?, ?, 100000, 'KRW')`);
  const kinds = [
    ['transaction.completed', 'completed', null, null],
    ['transaction.failed', 'failed', 'USER_DECLINED', 'The user declined the payout.'],
    ['transaction.expired', 'expired', null, null],
  ] as const;
  const start = Date.now() - 30 * 86_400_000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const [type, status, code, message] = kinds[i % 7 === 0 ? 1 : i % 11 === 0 ? 2 : 0];
      const at = new Date(start + Math.floor((i / count) * 30 * 86_400_000)).toISOString();
      const payload = JSON.stringify({ type, timestamp: at, data: { intent_id: `pi_seed_${i}`, external_ref: `ext_seed_${i % 50_000}`, status, phase: 'PAYOUT' } });
      insert.run(`msg_seed_${i}`, type, `pi_seed_${i}`, `ext_seed_${i % 50_000}`, status, code, message, at, at, payload, `pi_seed_${i}`);
    }
  })();
  db.close();
}

export async function serverRows(N: ServerBenchSizes, { rows, notes }: Report): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'liqx-bench-'));
  try {
    const t0 = performance.now();
    await seedStore(dataDir, N.seedRows);
    notes.push(`seeded ${N.seedRows} receipt rows in ${Math.round(performance.now() - t0)} ms`);
    const kit = await startKitServer(join(dataDir, RECEIPTS_FILE));
    try {
      await ingest(N, kit.url, rows);
      await reads(N, kit.url, rows, notes);
    } finally {
      await kit.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const CONCURRENCY = 16;

/** Runs bench/webhook-sender.ts in a worker thread against the partner endpoint (the server stays on this thread). */
async function ingest(N: Pick<ServerBenchSizes, 'webhooks'>, url: string, rows: Report['rows'], onStart?: () => void): Promise<void> {
  const input: SenderInput = { urls: [`${url}/webhooks/liqx`], secret: BENCH_WEBHOOK_SECRET, count: N.webhooks, concurrency: CONCURRENCY, signalStart: !!onStart };
  // Node 20 does not carry `--import tsx` into a worker: the worker loads the TypeScript sender through tsx's API.
  const sender = new URL('./webhook-sender.ts', import.meta.url).href;
  const worker = new Worker(`import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(sender)}, ${JSON.stringify(import.meta.url)}))`, {
    eval: true,
    workerData: input,
  });
  const result = await new Promise<SenderResult>((resolve, reject) => {
    worker.on('message', (m: SenderResult | { started: true }) => ('started' in m ? onStart?.() : resolve(m)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`webhook sender exited with ${code} before reporting`)));
  });
  await worker.terminate();
  if (result.failed) throw new Error(`${result.failed} of ${N.webhooks} webhooks were not stored exactly once`);
  const rate = N.webhooks / result.seconds;
  rows.push({ metric: `signed webhooks ingested (HTTP + verify + SQLite commit), ${N.webhooks} x ${CONCURRENCY} in flight`, value: Math.round(rate), unit: '/s', goal: '>= 2600/s', pass: rate >= 2600 });
}

async function reads(N: ServerBenchSizes, url: string, rows: Report['rows'], notes: string[]): Promise<void> {
  const day = new Date(Date.now() - 86_400_000).toISOString();
  const pick = (n: number) => Math.floor(Math.random() * n);
  const queries = [
    () => `intent_id=pi_seed_${pick(N.seedRows)}`,
    () => `external_ref=ext_seed_${pick(Math.min(50_000, N.seedRows))}`,
    () => 'type=transaction.failed&status=failed',
    () => `since=${encodeURIComponent(day)}&status=completed`,
    () => 'provider=liqx&type=transaction.expired',
  ];
  const latencies: number[] = [];
  const byShape: number[][] = queries.map(() => []);
  for (let i = 0; i < N.reads + 20; i++) {
    const q = queries[i % queries.length]!();
    const t0 = performance.now();
    const res = await fetch(`${url}/receipts?${q}&limit=20`);
    const json = (await res.json()) as { rows?: unknown[] };
    const ms = performance.now() - t0;
    if (res.status !== 200 || !Array.isArray(json.rows)) throw new Error(`events read failed: ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
    if (i >= 20) {
      latencies.push(ms); // the first 20 warm the statement cache
      byShape[i % queries.length]!.push(ms);
    }
  }
  notes.push(`events read p95 by filter: ${queries.map((q, i) => `${q().replace(/=[^&]*/g, '=…')} ${round(quantile(byShape[i]!, 0.95), 2)} ms`).join('; ')}`);
  const p95 = quantile(latencies, 0.95);
  const rowsLabel = N.seedRows >= 1000 ? `${Math.round(N.seedRows / 1000)}k` : String(N.seedRows);
  rows.push({ metric: `events read (HTTP, 5 filter shapes, limit=20) at ${rowsLabel} rows, p95 of ${N.reads}`, value: round(p95), unit: 'ms', goal: '<= 5 ms', pass: p95 <= 5 });
}

/**
 * The main thread's time from /proc (Linux; NaN elsewhere), ms: on a CPU, and runnable but waiting for one (a busy
 * machine's share, which the rate includes and the CPU time does not).
 */
function mainThreadMs(): { cpu: number; waiting: number } {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ').map(Number);
    return { cpu: run! / 1e6, waiting: wait! / 1e6 };
  } catch {
    return { cpu: NaN, waiting: NaN };
  }
}

// Alone: the ingest row, printed (see the module comment), on a fresh store or on one seeded with `seedRows` rows
// first, as the full run does (100,000).
if (import.meta.url === `file://${process.argv[1]}`) {
  const dataDir = mkdtempSync(join(tmpdir(), 'liqx-bench-ingest-'));
  const seedRows = Number(process.argv[3] ?? 0);
  if (seedRows > 0) await seedStore(dataDir, seedRows);
  const kit = await startKitServer(join(dataDir, RECEIPTS_FILE));
  try {
    const report: Report = { rows: [], notes: [] };
    const webhooks = Number(process.argv[2] ?? 4000);
    let [main0, process0, wall0] = [mainThreadMs(), process.cpuUsage(), performance.now()];
    await ingest({ webhooks }, kit.url, report.rows, () => ([main0, process0, wall0] = [mainThreadMs(), process.cpuUsage(), performance.now()]));
    const [main1, process1, wall] = [mainThreadMs(), process.cpuUsage(process0), performance.now() - wall0];
    for (const r of report.rows) console.log(`${r.metric}: ${r.value} ${r.unit}`);
    // Per timed webhook (from the sender's start signal; its warm-up not included); steadier than the rate on a
    // shared machine. Off CPU: waiting on the network (the sender), on the disk (a sync), or idle.
    const per = (ms: number) => round(ms / webhooks, 3);
    if (Number.isFinite(main1.cpu)) {
      const [cpu, waiting] = [main1.cpu - main0.cpu, main1.waiting - main0.waiting];
      console.log(`server thread: ${per(cpu)} ms CPU, ${per(waiting)} ms waiting for a CPU, ${per(wall - cpu - waiting)} ms off CPU per webhook`);
    }
    console.log(`process (every thread, the sender's included): ${per((process1.user + process1.system) / 1000)} ms CPU per webhook`);
  } finally {
    await kit.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
