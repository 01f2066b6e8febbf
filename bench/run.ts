/**
 * `npm run bench`: one table, measured in one run, headless Chromium (playwright-core) and Node. This file only
 * runs the parts and prints the table; each part measures one thing:
 *
 *   bench/size.ts     bytes: the script-tag file against build/size-budget.ts, and the dependency floor
 *   bench/peers.ts    browser: the widget beside the bare floor, penpal raw, post-robot and zoid, in one
 *                     interleaved run (time to ready, relay, cold evaluation, gzip; the frame on a second site)
 *   bench/server.ts   Node: webhook ingest and events read on the demo's partner server (SQLite)
 *   bench/stores.ts   Node: PostgreSQL beside SQLite (ingest on one and three instances, reads per filter shape)
 *
 *   npm run build && npm run bench          full run (a few minutes)
 *   BENCH_SMOKE=1 npm run bench             a few iterations of everything (CI: test/node/repo/bench-smoke.test.ts)
 */
import { loadavg, cpus } from 'node:os';
import { bundleRows, dependencyFloorRow } from './size.js';
import { peerRows } from './peers.js';
import { serverRows } from './server.js';
import { storeRows } from './stores.js';
import type { Report } from './stats.js';

const SMOKE = process.env.BENCH_SMOKE === '1';
const N = SMOKE
  ? { rounds: 3, relaysPerRound: 2, evals: 2, relay: 20, webhooks: 40, seedRows: 2_000, reads: 20, readsPerShape: 5 }
  : { rounds: 40, relaysPerRound: 10, evals: 25, relay: 1_000, webhooks: 4_000, seedRows: 100_000, reads: 1_000, readsPerShape: 200 };

const report: Report = { rows: [], notes: [] };

function printTable({ rows, notes }: Report): void {
  const lines = [
    '| Metric | Value | Goal | Result |',
    '|---|---:|---|---|',
    ...rows.map((r) => `| ${r.metric} | ${r.value} ${r.unit} | ${r.goal} | ${r.pass === null ? '–' : r.pass ? 'pass' : 'FAIL'} |`),
  ];
  console.log(lines.join('\n'));
  console.log('');
  for (const note of notes) console.log(`# ${note}`);
  console.log(`# ${SMOKE ? 'BENCH_SMOKE=1: a few iterations only, figures not meaningful' : 'full run'}; Node ${process.version}, ${new Date().toISOString()}`);
}

const started = performance.now();
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
report.notes.push(`machine: ${cpus().length} cores; load average at start ${load()}`);
bundleRows(report);
await dependencyFloorRow(report);
await peerRows(N, report);
await serverRows(N, report);
await storeRows({ webhooks: N.webhooks, seedRows: N.seedRows, readsPerShape: N.readsPerShape }, report.rows, report.notes);
report.notes.push(`load average at end ${load()}; bench took ${Math.round((performance.now() - started) / 1000)} s`);
printTable(report);
