#!/usr/bin/env node
/**
 * `npx liqx-reconcile --since 24h`: `reconcile()` from the command line, for a partner whose webhook endpoint was
 * down past LIQX's retries. Safe to run at any time, repeatedly, on several machines at once: the store keeps
 * each event once.
 *
 *   --since <when>       ISO 8601 (2026-12-01T00:00:00Z) or an age: 90m, 36h, 7d (required)
 *   --database <where>   postgres://... (PostgreSQL), or a SQLite file path; default $DATABASE_URL
 *   --liqx-url <url>     LIQX API base URL; default $LIQX_API_URL
 *   --page-size <n>      events per page, 1..100; default 100
 *   --handler <module>   a module exporting `onReceipt(receipt, tx)` (or a default export): called once per new
 *                        receipt inside its transaction, as the webhook handler's onReceipt
 * The partner API key is read from $LIQX_API_KEY only (never from the command line, which other users can see).
 *
 * Prints one JSON line: the ReconcileResult. Exit 0 when every event is stored, 1 when some failed (listed in
 * `failed`; run again once fixed), 2 for bad arguments or when LIQX refused or was unreachable.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createLiqxClient } from './liqx-client.js';
import { postgresReceiptStore } from './postgres-store.js';
import { ReconcileError, reconcile } from './reconcile.js';
import { sqliteReceiptStore } from './sqlite-store.js';
import type { ReceiptStore } from './store.js';
import type { PayoutReceipt } from '../webhooks/index.js';

const AGE_UNITS_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `--since`: an ISO date-time, or an age counted back from now. */
function parseSince(text: string, now: number): Date | null {
  const age = /^(\d{1,6})([mhd])$/.exec(text);
  if (age) return new Date(now - Number(age[1]) * AGE_UNITS_MS[age[2] as keyof typeof AGE_UNITS_MS]);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

class UsageError extends Error {}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        since: { type: 'string' },
        database: { type: 'string' },
        'liqx-url': { type: 'string' },
        'page-size': { type: 'string' },
        handler: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) {
    process.stdout.write('Usage: liqx-reconcile --since <ISO 8601 | 90m | 36h | 7d> [--database <postgres://... | file.sqlite>] [--liqx-url <url>] [--page-size <n>] [--handler <module>]\nEnv: LIQX_API_KEY (required), LIQX_API_URL, DATABASE_URL\n');
    return 0;
  }
  if (!values.since) throw new UsageError('--since is required (an ISO 8601 date-time, or an age such as 36h).');
  const since = parseSince(values.since, Date.now());
  if (!since) throw new UsageError(`--since "${values.since}" is neither an ISO 8601 date-time nor an age such as 90m, 36h, 7d.`);
  const database = values.database ?? process.env.DATABASE_URL;
  if (!database) throw new UsageError('No store: pass --database (postgres://... or a SQLite file) or set DATABASE_URL.');
  const baseUrl = values['liqx-url'] ?? process.env.LIQX_API_URL;
  if (!baseUrl) throw new UsageError('No LIQX API URL: pass --liqx-url or set LIQX_API_URL.');
  const apiKey = process.env.LIQX_API_KEY;
  if (!apiKey) throw new UsageError('Set LIQX_API_KEY to the partner API key.');
  const pageSize = values['page-size'] === undefined ? undefined : Number(values['page-size']);

  let onReceipt: ((receipt: PayoutReceipt, tx: unknown) => unknown) | undefined;
  if (values.handler) {
    const mod = (await import(pathToFileURL(resolve(values.handler)).href)) as { onReceipt?: unknown; default?: unknown };
    const fn = mod.onReceipt ?? mod.default;
    if (typeof fn !== 'function') throw new UsageError(`--handler ${values.handler} exports no onReceipt function (named or default).`);
    onReceipt = fn as typeof onReceipt;
  }

  const store: ReceiptStore<unknown> = /^postgres(ql)?:\/\//.test(database)
    ? await postgresReceiptStore({ connectionString: database, max: 2 })
    : await sqliteReceiptStore(database);
  try {
    const result = await reconcile({
      liqx: createLiqxClient({ baseUrl: baseUrl.replace(/\/+$/, ''), apiKey }),
      store,
      since,
      ...(onReceipt ? { onReceipt } : {}),
      ...(pageSize !== undefined ? { pageSize } : {}),
    });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.failed.length ? 1 : 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError || error instanceof ReconcileError) {
      const partial = error instanceof ReconcileError ? { code: error.code, partial: error.partial } : { code: 'USAGE' };
      process.stderr.write(`liqx-reconcile: ${error.message}\n`);
      process.stdout.write(`${JSON.stringify({ error: error.message, ...partial })}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`liqx-reconcile: ${(error as Error)?.stack ?? String(error)}\n`);
    process.exitCode = 2;
  },
);
