/**
 * The hostile requests, sent to the demo running as its own process (`demo/server/main.ts`), once on
 * SQLite and once on PostgreSQL (DATABASE_URL): 1 MB and 100 MB bodies (declared and streamed, eight 100 MB
 * uploads at once) get 413 while the server's RSS grows by less than 50 MB; text/plain gets 415; a signed
 * payload nested 100,000 deep gets 400; a signed body with a BOM gets 200; the page forbids framing by others.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signStandardWebhook } from '../../../src/webhooks/internal.js';
import { DEMO_WEBHOOK_SECRET } from '../../../demo/server/main.js';
import { liqxPayload } from '../../fixtures/webhooks/samples.js';
import { startPostgres, type PostgresServer } from '../../../scripts/lib/postgres-server.js';
import { startDemoProcess, type DemoProcess } from '../../../scripts/lib/demo-process.js';

const MB = 1024 * 1024;

const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;

/**
 * Uploads `total` bytes of zeros in 64 KiB chunks, with or without a declared Content-Length, honouring
 * backpressure. Resolves the status (0 if the server dropped the connection before answering) and bytes written.
 */
function upload(url: string, total: number, declare: boolean, headers: Record<string, string>): Promise<{ status: number; sent: number }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    let status = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve({ status, sent });
    };
    const req = http.request(url, { method: 'POST', headers: { ...headers, ...(declare ? { 'content-length': String(total) } : {}) } }, (res) => {
      status = res.statusCode ?? 0;
      res.resume();
      res.on('end', () => {
        req.destroy();
        finish();
      });
    });
    req.on('error', finish);
    req.setTimeout(60_000, () => req.destroy());
    const pump = () => {
      while (!done && sent < total && status === 0) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (sent >= total) req.end();
    };
    pump();
  });
}

async function postJson(url: string, body: string | Uint8Array, headers: Record<string, string>) {
  const res = await fetch(url, { method: 'POST', headers, body: body as BodyInit });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

async function signedLiqx(body: string | Uint8Array, id: string) {
  const ts = Math.floor(Date.now() / 1000);
  return { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': await signStandardWebhook(DEMO_WEBHOOK_SECRET, id, ts, body) };
}

let pgServer: PostgresServer | undefined;
after(async () => {
  await pgServer?.stop();
});

for (const engine of ['SQLite', 'PostgreSQL'] as const) {
  describe(`the demo on ${engine}`, () => {
    let demo: DemoProcess;
    const dataDir = mkdtempSync(join(tmpdir(), 'liqx-hostile-'));
    before(async () => {
      let databaseUrl = '';
      if (engine === 'PostgreSQL') {
        pgServer ??= await startPostgres();
        databaseUrl = await pgServer.createDatabase('hostile');
      }
      demo = await startDemoProcess({ DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) });
    });
    after(() => {
      demo?.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('1 MB and 100 MB bodies get 413 (eight 100 MB uploads at once); RSS grows < 50 MB', { timeout: 120_000 }, async () => {
      const webhook = `${demo.url}/api/webhooks/liqx`;
      const json = { 'content-type': 'application/json' };
      // Warm the paths first so the baseline includes compiled code, not just an idle process.
      await upload(webhook, MB, false, await signedLiqx('x', 'msg_warm'));
      await postJson(`${demo.url}/api/payouts`, '{}', json);
      const baseline = rssOf(demo.child.pid!);
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(demo.child.pid!))), 10);
      try {
        const signed = await signedLiqx('{}', 'msg_big');
        const results = await Promise.all([
          upload(webhook, MB, true, signed),
          upload(webhook, MB, false, signed),
          upload(`${demo.url}/api/payouts`, MB, false, json),
          upload(`${demo.url}/api/demo/sample-webhook`, MB, false, json),
          ...Array.from({ length: 4 }, (_, i) => upload(webhook, 100 * MB, i % 2 === 0, signed)),
          ...Array.from({ length: 4 }, (_, i) => upload(`${demo.url}/api/payouts`, 100 * MB, i % 2 === 0, json)),
        ]);
        // 413, or a reset: the server answers 413 and closes without reading the rest (that is the point), and a
        // client still writing when the close arrives may get the TCP reset before it has read the answer.
        for (const r of results) assert.ok(r.status === 413 || r.status === 0, JSON.stringify(r));
        assert.ok(results.some((r) => r.status === 413), JSON.stringify(results));
        console.log(`# ${engine}: ${results.filter((r) => r.status === 413).length} of ${results.length} clients read the 413 before the close`);
        const maxSent = Math.max(...results.map((r) => r.sent));
        console.log(`# ${engine}: RSS baseline ${(baseline / MB).toFixed(1)} MB, peak ${(peak / MB).toFixed(1)} MB (+${((peak - baseline) / MB).toFixed(1)} MB); most bytes any client got to write: ${(maxSent / MB).toFixed(2)} MB`);
        assert.ok(maxSent < 100 * MB, 'no 100 MB upload was read to its end');
      } finally {
        clearInterval(sampler);
      }
      assert.ok(peak - baseline < 50 * MB, `RSS grew ${((peak - baseline) / MB).toFixed(1)} MB`);
      // The server still answers promptly-enough to be useful, and stored nothing.
      const events = await (await fetch(`${demo.url}/api/webhooks/events`)).json() as { count: number };
      assert.equal(events.count, 0);
    });

    test('text/plain gets 415 on every POST', async () => {
      for (const path of ['/api/payouts', '/api/webhooks/liqx', '/api/webhooks/cashout', '/api/webhooks/ipay', '/api/demo/sample-webhook']) {
        const res = await postJson(`${demo.url}${path}`, '{"provider":"liqx"}', { 'content-type': 'text/plain' });
        assert.deepEqual([res.status, res.body.error?.code], [415, 'UNSUPPORTED_MEDIA_TYPE'], path);
      }
    });

    test('a signed payload nested 100,000 deep is quarantined (202), never a 500', async () => {
      const body = `{"type":"transaction.completed","timestamp":"2026-11-22T03:10:00.000Z","data":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
      const res = await postJson(`${demo.url}/api/webhooks/liqx`, body, await signedLiqx(body, 'msg_deep'));
      assert.deepEqual([res.status, res.body.error?.code], [202, 'INVALID_PAYLOAD']);
    });

    test('a signed body starting with a BOM gets 200 and is stored', async () => {
      const json = new TextEncoder().encode(JSON.stringify(liqxPayload('transaction.completed', { intent_id: 'pi_bom_demo' })));
      const body = new Uint8Array([0xef, 0xbb, 0xbf, ...json]);
      const res = await postJson(`${demo.url}/api/webhooks/liqx`, body, await signedLiqx(body, 'msg_bom_demo'));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const events = await (await fetch(`${demo.url}/api/webhooks/events?intent_id=pi_bom_demo`)).json() as { count: number };
      assert.equal(events.count, 1);
    });

    test('the page: frame-ancestors self, nosniff; the session JSON: no-store', async () => {
      const page = await fetch(`${demo.url}/`);
      await page.arrayBuffer();
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      if (page.status === 200) assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'self'/);
      const config = await fetch(`${demo.url}/api/config`);
      await config.arrayBuffer();
      assert.equal(config.headers.get('x-content-type-options'), 'nosniff');
      const bad = await fetch(`${demo.url}/api/payouts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      await bad.arrayBuffer();
      assert.equal(bad.headers.get('cache-control'), 'no-store');
    });
  });
}
