/**
 * Shared by the demo server tests: start the whole demo in-process on port 0 with a temporary data
 * directory, call both servers over HTTP, sign webhooks the way LIQX does, wait for receipts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startDemo, type DemoOptions, type RunningDemo } from '../../../demo/server/main.js';

export const FORM = {
  legal_name: '홍길동',
  user_email: 'jane@example.com',
  return_url: 'https://demo.dev.liqx.io/payouts/demo',
  amount_krw: '100000',
  amount_usdt: '75.000000',
} as const;

/** Fast settings: tests wait for real timers, so keep them short. */
export const FAST: DemoOptions = { port: 0, liqxPort: 0, webhookRetryBaseMs: 10, confirmDelayMs: 0, expiresTtlMs: 400 };

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'liqx-demo-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function withDemo(options: DemoOptions, run: (demo: RunningDemo) => Promise<void>): Promise<void> {
  const data = tempDataDir();
  const demo = await startDemo({ ...FAST, dataDir: data.dir, ...options });
  try {
    await run(demo);
  } finally {
    await demo.close();
    data.remove();
  }
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function request<T = any>(url: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<JsonResponse<T>> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export const createPayout = (demo: RunningDemo, body: Record<string, unknown>) =>
  request(`${demo.partnerUrl}/api/payouts`, { body: { ...FORM, ...body } });

export const liqx = (demo: RunningDemo, path: string, body?: unknown, key = demo.partnerApiKey) =>
  request(`${demo.liqxUrl}${path}`, { body, method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${key}` } });

export const widget = (demo: RunningDemo, token: string, path: string, body?: unknown) =>
  request(`${demo.liqxUrl}/v1/widget${path}`, {
    method: path === '/payout' ? 'GET' : 'POST',
    body,
    headers: { authorization: `Bearer ${token}` },
  });

export const events = (demo: RunningDemo, query: Record<string, string> = {}) =>
  request<{ rows: any[]; limit: number; count: number; error?: any }>(`${demo.partnerUrl}/api/webhooks/liqx/events?${new URLSearchParams(query)}`);

/** Polls the events API until `done(rows)`; fails after `timeoutMs` (a bound for a busy machine, not a speed goal). */
export async function waitForRows(demo: RunningDemo, query: Record<string, string>, done: (rows: any[]) => boolean, timeoutMs = 20_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await events(demo, query);
    if (done(body.rows)) return body.rows;
    if (Date.now() > deadline) throw new Error(`No matching receipt rows for ${JSON.stringify(query)} within ${timeoutMs} ms: ${JSON.stringify(body.rows)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A LIQX webhook body as the mock sends it. */
export function webhookBody(data: Partial<Record<string, unknown>> = {}, type = 'transaction.completed') {
  return {
    type,
    timestamp: new Date().toISOString(),
    data: {
      intent_id: `pi_test_${randomBytes(6).toString('hex')}`,
      external_ref: `ext_test_${randomBytes(6).toString('hex')}`,
      external_user_id: 'usr_seed_0001',
      // The demo's signed-in user: its scoped receipts read (/api/webhooks/liqx/events) shows only its own rows.
      owner: 'usr_seed_0001',
      phase: 'PAYOUT',
      status: 'completed',
      amount_krw: '100000',
      amount_usdt: '75.000000',
      attempt: 1,
      ...data,
    },
  };
}

/** POSTs a body to the partner webhook endpoint, signed with `secret` at `date` (Standard Webhooks). */
export function postWebhook(
  demo: RunningDemo,
  body: unknown,
  opts: { id?: string; secret?: string; date?: Date; omit?: 'webhook-id' | 'webhook-timestamp' | 'webhook-signature'; signature?: string } = {},
) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const id = opts.id ?? `msg_${randomBytes(8).toString('hex')}`;
  const date = opts.date ?? new Date();
  const headers: Record<string, string> = {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(date.getTime() / 1000)),
    'webhook-signature': opts.signature ?? new Webhook(opts.secret ?? demo.webhookSecret).sign(id, date, raw),
  };
  if (opts.omit) delete headers[opts.omit];
  return request(`${demo.partnerUrl}/api/webhooks/liqx`, { body: raw, headers: { ...headers, 'content-type': 'application/json' } }).then((r) => ({ ...r, id }));
}
