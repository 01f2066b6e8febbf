/**
 * The demo's and the sandbox's servers answer only their own names (DNS rebinding): a request whose Host is
 * another site's name gets 421 HOST_NOT_ALLOWED and reads nothing; loopback names on the port, the sandbox's
 * public origin and ALLOWED_HOSTS are answered.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startSandbox, sandboxEnv } from '../../../demo/server/sandbox.js';
import { withDemo } from './demo-helpers.js';

/** GET with an explicit Host header (fetch would send the URL's own). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { host } }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
  });
}

test('the demo: another site\'s Host is 421 on both servers; loopback names on the port are answered', async () => {
  await withDemo({}, async (demo) => {
    for (const base of [demo.partnerUrl, demo.liqxUrl]) {
      const { port } = new URL(base);
      const path = base === demo.partnerUrl ? '/api/webhooks/events' : '/';
      for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `localhost:${Number(port) + 1}`, `127.0.0.1.nip.io:${port}`]) {
        const res = await getWithHost(`${base}${path}`, host);
        assert.deepEqual([res.status, res.body?.error?.code], [421, 'HOST_NOT_ALLOWED'], `${base} Host: ${host}`);
      }
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `LOCALHOST:${port}`]) {
        assert.equal((await getWithHost(`${base}${path}`, host)).status, 200, `${base} Host: ${host}`);
      }
    }
  });
});

test('the sandbox answers its public origin\'s host and ALLOWED_HOSTS, nothing else', async () => {
  const env = sandboxEnv({ ALLOWED_HOSTS: 'sandbox.partner.test, other.test:8443' });
  assert.deepEqual(env.allowedHosts, ['sandbox.partner.test', 'other.test:8443']);
  const sandbox = await startSandbox({ port: 0, publicOrigin: 'https://liqx-sandbox.partner.test', allowedHosts: env.allowedHosts });
  try {
    const { port } = new URL(sandbox.url);
    for (const host of ['liqx-sandbox.partner.test', 'sandbox.partner.test', 'other.test:8443', `localhost:${port}`]) {
      assert.equal((await getWithHost(`${sandbox.url}/`, host)).status, 200, host);
    }
    for (const host of ['other.test', 'evil.test', `sandbox.partner.test.evil.test`]) {
      assert.equal((await getWithHost(`${sandbox.url}/`, host)).status, 421, host);
    }
  } finally {
    await sandbox.close();
  }
});
