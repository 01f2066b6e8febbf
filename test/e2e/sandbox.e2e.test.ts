/**
 * The sandbox as a partner uses it: `PARTNER_ORIGINS=http://localhost:<port> WEBHOOK_URL=... ` starts the mock LIQX
 * alone (demo/server/sandbox.ts, the process `npm run sandbox` runs), and the partner's own page and backend, on an
 * origin the demo does not serve, embed the widget and complete a payout. The signed webhook arrives at
 * WEBHOOK_URL and verifies with liqx-payout-widget/webhooks and the secret the sandbox printed. The same page
 * reached through another origin (127.0.0.1 instead of localhost) is not in PARTNER_ORIGINS: the browser refuses
 * the frame, and the element's HANDSHAKE_TIMEOUT says what to check.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { verifyPayoutWebhook } from '../../src/webhooks/index.js';
// @ts-expect-error: plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const STEP_TIMEOUT = 30_000;

let workDir: string;
let sandbox: ChildProcess;
let banner = '';
let liqxUrl = '';
let browser: Browser;
let partner: Server;
let partnerPort = 0;
let receiver: Server;
let receiverUrl = '';
const webhooks: { body: string; headers: IncomingMessage['headers'] }[] = [];

const readBody = (req: IncomingMessage) =>
  new Promise<string>((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });

const listen = (server: Server) =>
  new Promise<number>((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)));

const printed = (label: string) => new RegExp(`^${label}:\\s+(\\S+)`, 'm').exec(banner)?.[1] ?? '';

/** Polls `get` until it returns a value; fails naming `what` after `ms` (a bound for a busy machine). */
async function waitFor<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms = STEP_TIMEOUT): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The partner's backend: creates an intent and exchanges it for a widget session, server to server. */
async function newWidgetSession(stale = false): Promise<unknown> {
  const apiKey = printed('Partner API key');
  const auth = { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' };
  const intent = await fetch(`${liqxUrl}/v1/payout-intents`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      scenario: 'VERIFIED',
      external_ref: `ord_${Date.now()}`,
      external_user_id: 'usr_own_page',
      legal_name: 'Jane Partner',
      user_email: 'jane@example.com',
      return_url: `http://localhost:${partnerPort}/done`,
      amount_krw: '50000',
      amount_usdt: '37.500000',
    }),
  });
  assert.equal(intent.status, 201, await intent.clone().text());
  const { intent_id } = await intent.json();
  const session = await fetch(`${liqxUrl}/v1/payout-intents/${intent_id}/widget-sessions`, { method: 'POST', headers: auth });
  assert.equal(session.status, 201);
  // `stale`: a second session for the same intent revokes this one, and the page gets the revoked one.
  if (stale) assert.equal((await fetch(`${liqxUrl}/v1/payout-intents/${intent_id}/widget-sessions`, { method: 'POST', headers: auth })).status, 201);
  return session.json();
}

/** The partner's own page: plain HTML, its code in a file, the script-tag build of the element. */
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>My own partner page</title>
<script src="/liqx-payout-widget.js" defer></script><script src="/app.js" defer></script></head>
<body><h1>My payouts</h1><liqx-payout-widget locale="en" handshake-timeout="4000"></liqx-payout-widget></body></html>`;
const APP = `
window.seen = [];
const el = document.querySelector('liqx-payout-widget');
for (const type of ['liqx-ready', 'liqx-payout-completed', 'liqx-error']) el.addEventListener(type, (e) => window.seen.push({ type, detail: e.detail }));
fetch('/api/session' + location.search, { method: 'POST' }).then((r) => r.json()).then((session) => { el.session = session; });
`;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'liqx-sandbox-e2e-'));
  const distDir = join(workDir, 'dist');
  const require = createRequire(import.meta.url);
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, `vite build failed:\n${built.stdout}\n${built.stderr}`);
  const widget = await esbuild.build({ entryPoints: [join(ROOT, 'src/script-tag.ts')], bundle: true, format: 'iife', target: 'es2022', write: false, minify: true, tsconfig: join(ROOT, 'tsconfig.json') });
  const widgetJs = widget.outputFiles[0].text;

  receiver = createServer(async (req, res) => {
    webhooks.push({ body: await readBody(req), headers: req.headers });
    res.writeHead(204).end();
  });
  receiverUrl = `http://127.0.0.1:${await listen(receiver)}/webhooks/liqx`;

  partner = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "script-src 'self'" }).end(PAGE);
    if (path === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(APP);
    if (path === '/liqx-payout-widget.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(widgetJs);
    if (path === '/api/session' && req.method === 'POST') {
      try {
        return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(await newWidgetSession(url.searchParams.has('stale'))));
      } catch (error) {
        return void res.writeHead(502).end(String(error));
      }
    }
    res.writeHead(404).end();
  });
  partnerPort = await listen(partner);

  // What `PARTNER_ORIGINS=http://localhost:<port> WEBHOOK_URL=... npm run sandbox` runs after its build step.
  sandbox = spawn(process.execPath, ['--import', 'tsx', 'demo/server/sandbox.ts'], {
    cwd: ROOT,
    env: { ...process.env, PARTNER_ORIGINS: `http://localhost:${partnerPort}`, WEBHOOK_URL: receiverUrl, LIQX_PORT: '0', DEMO_DIST_DIR: distDir, CONFIRM_DELAY_MS: '100' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  sandbox.stdout!.on('data', (d: Buffer) => (banner += d.toString()));
  await waitFor('the sandbox banner', () => (/^Webhook secret:/m.test(banner) ? true : undefined));
  liqxUrl = printed('Mock LIQX sandbox').replace(/\/$/, '');

  const executablePath = findChromium();
  assert.ok(executablePath, 'No Chromium found (set CHROME_PATH)');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  sandbox?.kill('SIGTERM');
  await Promise.all([partner, receiver].map((s) => s && new Promise((ok) => (s.close(ok), s.closeAllConnections()))));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('the sandbox prints its configuration: PARTNER_ORIGINS, WEBHOOK_URL, the API key and the whsec_ secret', () => {
  console.log(banner.replace(/^/gm, '# '));
  assert.match(liqxUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(printed('PARTNER_ORIGINS'), `http://localhost:${partnerPort}`);
  assert.equal(printed('WEBHOOK_URL'), receiverUrl);
  assert.match(printed('Partner API key'), /^lqx_test_/);
  assert.match(printed('Webhook secret'), /^whsec_[A-Za-z0-9+/=]+$/);
});

test('a page on a registered origin the demo does not serve embeds the widget and completes a payout; the webhook goes to WEBHOOK_URL', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`http://localhost:${partnerPort}/`);
    const frame = page.frameLocator('liqx-payout-widget iframe');
    await frame.locator('#confirm-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    const session = await page.evaluate(() => (document.querySelector('liqx-payout-widget') as unknown as { session: { intent_id: string } }).session);
    await frame.locator('#confirm-button').click({ timeout: STEP_TIMEOUT });
    await page.waitForFunction(() => (window as any).seen.some((e: { type: string }) => e.type === 'liqx-payout-completed'), undefined, { timeout: STEP_TIMEOUT });
    const seen = await page.evaluate(() => (window as any).seen as { type: string; detail: any }[]);
    assert.deepEqual(seen.filter((e) => e.type === 'liqx-error'), []);
    assert.equal(seen.find((e) => e.type === 'liqx-payout-completed')!.detail.intentId, session.intent_id);

    const hook = await waitFor('the transaction.completed webhook at WEBHOOK_URL', () =>
      webhooks.find((w) => JSON.parse(w.body).data?.intent_id === session.intent_id),
    );
    const verified = await verifyPayoutWebhook('liqx', hook.body, hook.headers as Record<string, string>, { liqx: { secret: printed('Webhook secret') } });
    assert.equal(verified.id, hook.headers['webhook-id']);
    const event = JSON.parse(hook.body);
    assert.equal(event.type, 'transaction.completed');
    assert.equal(event.data.status, 'completed');
    assert.equal(event.data.phase, 'PAYOUT');
  } finally {
    await page.close();
  }
});

test('the same page on an origin not in PARTNER_ORIGINS is refused by frame-ancestors; HANDSHAKE_TIMEOUT names the cause', async () => {
  const page = await browser.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  try {
    await page.goto(`http://127.0.0.1:${partnerPort}/`);
    const error = await page.waitForFunction(() => (window as any).seen.find((e: { type: string }) => e.type === 'liqx-error')?.detail, undefined, { timeout: STEP_TIMEOUT });
    const detail = (await error.jsonValue()) as { code: string; message: string };
    assert.equal(detail.code, 'HANDSHAKE_TIMEOUT');
    assert.match(detail.message, /registered with LIQX/);
    assert.ok(detail.message.includes(`http://127.0.0.1:${partnerPort}`), detail.message);
    assert.match(detail.message, /frame-ancestors/);
    assert.ok(console.some((line) => /frame-ancestors/.test(line)), `the console says why: ${console.join(' | ')}`);
  } finally {
    await page.close();
  }
});

test('a revoked session (a newer one was opened): the frame shows the refusal and reports WIDGET_ERROR SESSION_REVOKED', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`http://localhost:${partnerPort}/?stale=1`);
    const error = await page.waitForFunction(() => (window as any).seen.find((e: { type: string }) => e.type === 'liqx-error')?.detail, undefined, { timeout: STEP_TIMEOUT });
    const detail = (await error.jsonValue()) as { code: string; source: string; intentId: string };
    assert.equal(detail.code, 'SESSION_REVOKED');
    assert.equal(detail.source, 'frame');
    const frame = page.frameLocator('liqx-payout-widget iframe');
    await frame.locator('#result-title').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    assert.equal(await frame.locator('#result-title').textContent(), 'Session replaced or finished');
    const text = await frame.locator('body').innerText();
    assert.ok(text.includes('SESSION_REVOKED'), 'the page shows the code');
    assert.ok(!text.includes('Jane Partner') && !text.includes('50,000'), 'no payout data was shown');
  } finally {
    await page.close();
  }
});
