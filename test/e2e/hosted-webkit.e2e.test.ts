/**
 * Hosted mode on WebKit: WebKitGTK's MiniBrowser driven over WebDriver classic (WebKitWebDriver under its own Xvfb,
 * as the browser suite's WebKit launcher does), its window asked for an iPhone's size (390 x 844; MiniBrowser keeps it
 * at least as wide as its toolbar, about 447 CSS px). Confirm, decline and
 * expiry each land on return_url, where the partner's server verifies the signed result with the kit, with one
 * webhook per intent, and the session token in no URL the browser showed.
 *
 * What WebDriver classic cannot do here: emulate iOS (user agent, touch, device pixel ratio) or install a script
 * before the page runs, so the native-bridge fakes and the request log are checked on Chromium
 * (test/e2e/hosted.e2e.test.ts). Skipped when WebKitWebDriver or Xvfb is missing.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHostedHarness, waitFor as waitForEvery, type HostedHarness } from './hosted-harness.js';
// @ts-expect-error: plain ESM helper without type declarations
import { findWebKit } from '../../scripts/find-engines.mjs';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const webkit = findWebKit() as { driver: string; xvfb: string } | null;

let h: HostedHarness;
const children: ChildProcess[] = [];
let driverUrl = '';
let sessionUrl = '';

/** The harness's wait, polling a little less often: each poll here is a WebDriver round trip. */
const waitFor = <T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms?: number) => waitForEvery(what, get, ms, 150);

/** One WebDriver classic command; a WebDriver error is thrown with its name and message. */
async function wd(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${path.startsWith('http') ? '' : sessionUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { value: any };
  if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
  return json.value;
}

/** The element once it is displayed, or undefined (for waitFor). */
async function displayed(css: string): Promise<string | undefined> {
  const found = (await wd('POST', '/elements', { using: 'css selector', value: css })) as Record<string, string>[];
  if (found.length && !found[0]![ELEMENT]) throw new Error(`unexpected element reference: ${JSON.stringify(found[0])}`);
  for (const el of found) if (await wd('GET', `/element/${el[ELEMENT]}/displayed`)) return el[ELEMENT];
  return undefined;
}
const click = async (css: string) => wd('POST', `/element/${await waitFor(css, () => displayed(css))}/click`, {});

before(async () => {
  if (!webkit) return;
  h = await startHostedHarness({ expiresTtlMs: 6_000, tmpPrefix: 'liqx-hosted-webkit-' });

  // Xvfb picks a free display and writes its number to fd 3; WebKitWebDriver listens on a free port.
  const xvfb = spawn(webkit.xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  children.push(xvfb);
  let out = '';
  (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (c) => (out += c));
  const display = await waitFor('the Xvfb display', () => (out.includes('\n') ? `:${out.trim()}` : undefined), 20_000);
  const port = await new Promise<number>((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => ok(p));
    });
  });
  children.push(spawn(webkit.driver, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } }));
  driverUrl = `http://127.0.0.1:${port}`;
  await waitFor('WebKitWebDriver /status', () => fetch(`${driverUrl}/status`).then((r) => (r.ok ? true : undefined), () => undefined), 20_000);
  const session = await wd('POST', `${driverUrl}/session`, { capabilities: { alwaysMatch: { browserName: 'MiniBrowser' } } });
  sessionUrl = `${driverUrl}/session/${session.sessionId}`;
  // An iPhone 13's CSS size.
  await wd('POST', '/window/rect', { width: 390, height: 844 });
});

after(async () => {
  if (sessionUrl) await wd('DELETE', '').catch(() => undefined);
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await h?.close();
});

const EXPECT = {
  confirm: { outcome: 'completed', webhook: 'transaction.completed' },
  decline: { outcome: 'rejected', webhook: 'transaction.failed' },
  expire: { outcome: 'expired', webhook: 'transaction.expired' },
} as const;

for (const action of ['confirm', 'decline', 'expire'] as const) {
  test(`WebKit at a phone's size: ${action} lands on return_url with a verified signature and one webhook; no token in a URL`, { skip: !webkit && 'WebKitWebDriver or Xvfb missing' }, async () => {
    const ref = `ord_wk_${action}_${Date.now()}`;
    const link = await h.hostedPayout({ ref, expire: action === 'expire', user: { id: 'usr_webkit', name: 'Jane WebKit', email: 'webkit@example.com' } });
    const seen: string[] = [];
    await wd('POST', '/url', { url: link.url });
    seen.push(await wd('GET', '/url'));
    assert.equal(new URL(seen[0]!).pathname, `/hosted/${link.sessionId}`);
    await waitFor('the payout details', () => displayed('#confirm-button'));
    const width = (await wd('POST', '/execute/sync', { script: 'return innerWidth', args: [] })) as number;
    // MiniBrowser's window does not get narrower than its toolbar (447 CSS px here): a phone-sized page, not exactly 390.
    assert.ok(width <= 480, `innerWidth ${width}`);
    console.log(`# WebKit viewport: ${width} CSS px wide`);
    const token = (await wd('POST', '/execute/sync', { script: 'return document.querySelector(\'meta[name="liqx-session-token"]\').content', args: [] })) as string;
    assert.match(token, /^lqxwst_/);
    if (action === 'confirm') await click('#confirm-button');
    if (action === 'decline') {
      await click('#decline-button');
      await click('#decline-submit');
    }
    await click('#done-button');
    const landed = await waitFor('return_url', async () => {
      const url = (await wd('GET', '/url')) as string;
      return url.startsWith(`${h.partnerOrigin}/done`) ? url : undefined;
    });
    seen.push(landed);
    // WebKit reports the new URL once the navigation starts, which can be before the partner's server has answered.
    const ret = await waitFor('the partner server to see the return', () => h.returns.find((r) => r.url === landed));
    assert.deepEqual([ret.result?.intent_id, ret.result?.outcome], [link.intentId, EXPECT[action].outcome], ret.verdict);
    assert.equal(ret.referer, undefined);
    for (const url of seen) assert.ok(!url.includes(token), `the token is in ${url}`);
    await waitFor('the webhook', () => (h.webhooks.some((w) => w.intent_id === link.intentId) ? true : undefined));
    const events = await h.client.listEvents({ limit: 100 });
    assert.ok(events.ok);
    assert.deepEqual(events.data.data.filter((e) => e.intent_id === link.intentId).map((e) => e.type), [EXPECT[action].webhook]);
  });
}
