/**
 * Many instances on one PostgreSQL: three partner server processes (test/node/package/support/partner-instance.ts), the
 * kit's webhook handler on postgresReceiptStore, deliveries round-robin across them.
 * - 200 concurrent deliveries of one event: one row, one onReceipt (counted as effect rows written in its
 *   transaction).
 * - `kill -9` of one instance in the middle of a stream, then redelivery of everything not acknowledged: every
 *   acknowledged receipt is stored exactly once, and every event ends stored exactly once with one effect.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import pg from 'pg';
import { signStandardWebhook } from '../../../src/webhooks/internal.js';
import { liqxPayload } from '../../fixtures/webhooks/samples.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';

const SECRET = `whsec_${Buffer.from('many-instances-secret').toString('base64')}`;
let pgServer: PostgresServer;
let db: pg.Pool;
let instances: { child: ChildProcess; url: string; alive: boolean }[] = [];

function startInstance(databaseUrl: string, name: string): Promise<{ child: ChildProcess; url: string; alive: boolean }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/node/package/support/partner-instance.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LIQX_SECRET: SECRET, INSTANCE: name },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance ${name} did not start within 60 s`)), 60_000);
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${m[1]}/webhooks/liqx`, alive: true });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance ${name} exited with ${code} before it was ready`));
    });
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
/** POSTs; resolves the status and body, or null when the connection failed (a dead instance). */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: { duplicate?: boolean } } | null> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: {} });
        }
      });
      res.on('error', () => resolve(null));
    });
    req.setTimeout(30_000, () => req.destroy());
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

async function signed(id: string, intentId: string) {
  const body = JSON.stringify(liqxPayload('transaction.completed', { intent_id: intentId }));
  const ts = Math.floor(Date.now() / 1000);
  return { body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': await signStandardWebhook(SECRET, id, ts, body) } };
}

const count = async (sql: string, params: unknown[] = []) => Number((await db.query<{ n: string }>(sql, params)).rows[0]!.n);

before(async () => {
  pgServer = await startPostgres();
  const url = await pgServer.createDatabase('many');
  db = new pg.Pool({ connectionString: url, max: 4 });
  // The first instance creates the schema; the other two start together and find it (or wait on the lock).
  instances.push(await startInstance(url, 'a'));
  instances.push(...(await Promise.all([startInstance(url, 'b'), startInstance(url, 'c')])));
});

after(async () => {
  agent.destroy();
  for (const i of instances) if (i.alive) i.child.kill('SIGKILL');
  await db?.end();
  await pgServer?.stop();
});

test('200 concurrent deliveries of one event across three instances: one row, one onReceipt', { timeout: 120_000 }, async () => {
  const delivery = await signed('msg_same_event', 'pi_same_event');
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => post(instances[i % 3]!.url, delivery.headers, delivery.body)));
  assert.ok(results.every((r) => r?.status === 200), `statuses: ${[...new Set(results.map((r) => r?.status))]}`);
  assert.equal(results.filter((r) => r!.body.duplicate === false).length, 1, 'exactly one delivery inserted');
  assert.equal(await count("SELECT count(*) AS n FROM webhook_receipts WHERE event_id = 'msg_same_event'"), 1);
  assert.equal(await count("SELECT count(*) AS n FROM receipt_effects WHERE receipt_key = 'liqx:msg_same_event'"), 1);
});

test('kill -9 of one instance mid-stream, then redelivery: every acknowledged receipt stored exactly once', { timeout: 180_000 }, async () => {
  const N = 300;
  const events = await Promise.all(Array.from({ length: N }, (_, i) => signed(`msg_stream_${i}`, `pi_stream_${i}`)));
  const acked = new Set<number>();
  let next = 0;
  let killed = false;
  const victim = instances[1]!;
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (next < N) {
        const i = next++;
        // Kill once a third of the stream is acknowledged: requests to that instance are in flight right now.
        if (!killed && acked.size >= N / 3) {
          killed = true;
          victim.child.kill('SIGKILL');
          victim.alive = false;
        }
        const res = await post(instances[i % 3]!.url, events[i]!.headers, events[i]!.body);
        if (res?.status === 200) acked.add(i);
      }
    }),
  );
  assert.ok(killed, 'the instance was killed mid-stream');
  assert.ok(acked.size < N, 'some deliveries went to the dead instance and were not acknowledged');
  // Every acknowledgement is a committed row, already now.
  const stored = new Set((await db.query<{ event_id: string }>("SELECT event_id FROM webhook_receipts WHERE event_id LIKE 'msg_stream_%'")).rows.map((r) => r.event_id));
  for (const i of acked) assert.ok(stored.has(`msg_stream_${i}`), `acknowledged msg_stream_${i} is stored`);

  // The sender retries what was not acknowledged, on the instances still up, until each gets its 2xx.
  const survivors = instances.filter((x) => x.alive);
  for (let i = 0; i < N; i++) {
    if (acked.has(i)) continue;
    for (let attempt = 0; attempt < 5 && !acked.has(i); attempt++) {
      const res = await post(survivors[(i + attempt) % survivors.length]!.url, events[i]!.headers, events[i]!.body);
      if (res?.status === 200) acked.add(i);
    }
  }
  assert.equal(acked.size, N, 'every event acknowledged after redelivery');
  assert.equal(await count("SELECT count(*) AS n FROM webhook_receipts WHERE event_id LIKE 'msg_stream_%'"), N);
  assert.equal(await count("SELECT count(DISTINCT event_id) AS n FROM webhook_receipts WHERE event_id LIKE 'msg_stream_%'"), N);
  assert.equal(await count("SELECT count(*) AS n FROM receipt_effects WHERE receipt_key LIKE 'liqx:msg_stream_%'"), N, 'one onReceipt effect per receipt');
  assert.equal(await count("SELECT count(*) AS n FROM (SELECT receipt_key FROM receipt_effects GROUP BY receipt_key HAVING count(*) > 1) d"), 0);
});
