/**
 * Durability and idempotency of the partner's webhook receipts, across a crash: the demo server runs as a child
 * process (tsx), a stream of signed webhooks of all three providers goes at it, the process is killed with
 * SIGKILL while requests are in flight, restarted on the same data directory, and every delivery it had
 * acknowledged with 2xx must be there. Every event is then delivered again: each is stored exactly once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signSharedSecret } from '../../../src/webhooks/internal.js';
import { DEMO_WEBHOOK_SECRET } from '../../../demo/server/main.js';
import { DEMO_PROVIDER_SECRETS } from '../../../demo/server/partner/demo-only-sample-sender.js';
import { docExamples, liqxPayload } from '../../fixtures/webhooks/samples.js';

const EVENTS = 240;
const CONCURRENCY = 8;
/** Kill after this many acknowledgements, at a moment when at least MIN_IN_FLIGHT requests are pending. */
const KILL_AFTER_ACKS = 60;
const MIN_IN_FLIGHT = 4;

interface Server {
  url: string;
  child: ChildProcess;
  startedMs: number;
}

async function startServer(dataDir: string): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'demo/server/main.ts'], {
    env: { ...process.env, PORT: '0', LIQX_PORT: '0', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 20 s: ${out}${err}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /Partner CRM simulator:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}${err}`)));
  });
  return { url, child, startedMs: performance.now() - t0 };
}

/** One event of the stream: provider, a unique external ref to find it by, and how to (re)deliver it. */
interface StreamEvent {
  provider: 'liqx' | 'cashout-reference' | 'ipay';
  externalRef: string;
  /** Builds the request for delivery number `n` (1-based), signed now, as that provider would retry. */
  request(n: number): { path: string; headers: Record<string, string>; body: string };
}

const cashoutTemplate = docExamples('cashout-reference').find((e) => e.name === 'CASHOUT_REFERENCE_COMPLETED')!.text;
const ipayTemplate = docExamples('ipay')[0]!.text;

function makeEvent(i: number): StreamEvent {
  const externalRef = `dur_${i}_${randomUUID().slice(0, 8)}`;
  const provider = (['liqx', 'cashout-reference', 'ipay'] as const)[i % 3]!;
  const nowSec = () => Math.floor(Date.now() / 1000);
  if (provider === 'liqx') {
    const id = `msg_dur_${i}_${randomUUID()}`;
    return {
      provider,
      externalRef,
      request(n) {
        const body = JSON.stringify(liqxPayload('transaction.completed', { intent_id: `pi_dur_${i}`, external_ref: externalRef, attempt: n }));
        const at = new Date();
        return {
          path: '/api/webhooks/liqx',
          body,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
            'webhook-signature': new Webhook(DEMO_WEBHOOK_SECRET).sign(id, at, body),
          },
        };
      },
    };
  }
  if (provider === 'cashout-reference') {
    // The document's own example text (comments and all), with this event's transaction id; a retry counts attempts up.
    const base = cashoutTemplate.replace('"trx_ewrehe77r6t8et8t6"', JSON.stringify(externalRef)).replace('"128944531190"', `"${100000000000 + i}"`);
    return {
      provider,
      externalRef,
      request(n) {
        const body = base.replace('"attempts": 1,', `"attempts": ${n},`);
        return { path: '/api/webhooks/cashout', body, headers: { 'content-type': 'application/json' } };
      },
    };
  }
  const body = ipayTemplate.replace('"ref-a00020"', JSON.stringify(externalRef)).replace('3971f24a-b901-4bdb-b3a5-7690ca350cd3', randomUUID());
  return {
    provider,
    externalRef,
    request: () => ({ path: '/api/webhooks/ipay', body, headers: { 'content-type': 'application/json' } }),
  };
}

async function deliver(url: string, ev: StreamEvent, n: number): Promise<{ status: number; json: any } | { error: string }> {
  const req = ev.request(n);
  const headers = { ...req.headers };
  if (ev.provider !== 'liqx') {
    const secret = ev.provider === 'ipay' ? DEMO_PROVIDER_SECRETS.ipay : DEMO_PROVIDER_SECRETS.cashout;
    Object.assign(headers, await signSharedSecret(secret, req.body));
  }
  try {
    const res = await fetch(`${url}${req.path}`, { method: 'POST', headers, body: req.body, signal: AbortSignal.timeout(10_000) });
    return { status: res.status, json: await res.json().catch(() => null) };
  } catch (err) {
    return { error: String((err as Error).cause ?? err) };
  }
}

async function rowsFor(url: string, ev: StreamEvent): Promise<any[]> {
  const res = await fetch(`${url}/api/webhooks/events?provider=${ev.provider}&external_ref=${encodeURIComponent(ev.externalRef)}&limit=100`);
  assert.equal(res.status, 200);
  return (await res.json()).rows;
}

test('every acknowledged receipt survives kill -9; redelivered events are stored once', { timeout: 120_000 }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'liqx-durability-'));
  const events = Array.from({ length: EVENTS }, (_, i) => makeEvent(i));
  const acked = new Set<StreamEvent>();
  const attempted = new Set<StreamEvent>();
  let failedInFlight = 0;
  let inFlightAtKill = 0;
  let first: Server | undefined;
  let second: Server | undefined;
  try {
    first = await startServer(dataDir);
    const server = first;
    let next = 0;
    let inFlight = 0;
    let killed = false;
    const t0 = performance.now();
    // A pool of CONCURRENCY senders; the one that sees the KILL_AFTER_ACKS-th ack with enough requests pending kills.
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (!killed && next < events.length) {
          const ev = events[next++]!;
          attempted.add(ev);
          inFlight++;
          const r = await deliver(server.url, ev, 1);
          inFlight--;
          if ('status' in r && r.status >= 200 && r.status < 300) {
            acked.add(ev);
            assert.equal(r.json?.duplicate, false);
          } else if ('error' in r) failedInFlight++;
          else assert.fail(`unexpected ${r.status} ${JSON.stringify(r.json)}`);
          if (!killed && acked.size >= KILL_AFTER_ACKS && inFlight >= MIN_IN_FLIGHT) {
            killed = true;
            inFlightAtKill = inFlight;
            server.child.kill('SIGKILL');
          }
        }
      }),
    );
    const streamMs = performance.now() - t0;
    assert.ok(killed, 'the server was killed mid-stream');
    await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode ? r(null) : server.child.once('exit', r)));
    assert.equal(server.child.signalCode, 'SIGKILL');

    second = await startServer(dataDir);
    // Every acknowledged delivery is there, exactly once.
    for (const ev of acked) {
      const rows = await rowsFor(second.url, ev);
      assert.equal(rows.length, 1, `${ev.provider} ${ev.externalRef} acknowledged before the crash but not found once`);
    }

    // Deliver the rest, then everything again (a provider retrying): acknowledged ones are duplicates.
    for (const ev of events.filter((e) => !attempted.has(e))) {
      const r = await deliver(second.url, ev, 1);
      assert.ok('status' in r && r.status === 200, JSON.stringify(r));
      acked.add(ev);
    }
    let duplicates = 0;
    for (const ev of events) {
      const r = await deliver(second.url, ev, 2);
      assert.ok('status' in r && r.status === 200, JSON.stringify(r));
      if (acked.has(ev)) assert.equal(r.json.duplicate, true, `${ev.provider} ${ev.externalRef} stored twice`);
      if (r.json.duplicate) duplicates++;
    }
    for (const ev of events) assert.equal((await rowsFor(second.url, ev)).length, 1, `${ev.provider} ${ev.externalRef}`);
    const perProvider = await Promise.all(
      (['liqx', 'cashout-reference', 'ipay'] as const).map(async (p) => {
        const res = await (await fetch(`${second!.url}/api/webhooks/events?provider=${p}&limit=100`)).json();
        return `${p} ${res.count}`;
      }),
    );
    console.log(
      `durability: ${acked.size} acknowledged of ${EVENTS}; ${KILL_AFTER_ACKS}+ acks in ${Math.round(streamMs)} ms before SIGKILL with ` +
        `${inFlightAtKill} in flight (${failedInFlight} failed); restart ${Math.round(second.startedMs)} ms; ${duplicates} redeliveries were duplicates; ` +
        `rows per provider (first 100): ${perProvider.join(', ')}`,
    );
  } finally {
    for (const s of [first, second]) if (s && s.child.exitCode === null && !s.child.signalCode) s.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
