/**
 * Hosted mode in a browser under device emulation: the partner's backend asks the mock LIQX for a hosted link, the
 * phone opens it top-level, the user confirms, declines or lets it expire, and "Done" lands on the intent's
 * return_url, where the partner's server verifies the signed result with the kit (verifyHostedReturn). For each:
 * exactly one webhook for the intent, one terminal message on the app's native bridge (WebKit's
 * messageHandlers.liqx on the iPhone, react-native-webview's ReactNativeWebView on the Pixel, both fakes the test
 * injects), the session token in no URL the browser requested or committed, the link's code in no committed URL,
 * and no Referer at return_url. A tampered return is refused by the partner's server.
 *
 * Both devices run on Chromium (viewport, DPR, touch, mobile UA from playwright-core's descriptors): Playwright's
 * WebKit is not on this machine. The same three flows on WebKitGTK at a phone's width, without iOS emulation or
 * bridge fakes (WebDriver classic has neither): test/e2e/hosted-webkit.e2e.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium, devices, type Browser, type BrowserContextOptions } from 'playwright-core';
import { HostedReturnError, verifyHostedReturn } from '../../src/server/index.js';
import { STEP_TIMEOUT, startHostedHarness, waitFor, type HostedHarness } from './hosted-harness.js';
// @ts-expect-error: plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

const EXPIRES_TTL_MS = 5_000;

let h: HostedHarness;
let browser: Browser;

before(async () => {
  h = await startHostedHarness({ expiresTtlMs: EXPIRES_TTL_MS, tmpPrefix: 'liqx-hosted-e2e-' });
  const executablePath = findChromium();
  assert.ok(executablePath, 'No Chromium found (set CHROME_PATH)');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await h?.close();
});

type Bridge = 'webkit' | 'react-native';
const DEVICES: { name: string; options: BrowserContextOptions; bridge: Bridge }[] = [
  { name: 'iPhone 13', options: devices['iPhone 13']!, bridge: 'webkit' },
  { name: 'Pixel 7', options: devices['Pixel 7']!, bridge: 'react-native' },
];

/**
 * What a WebView's app installs before the page runs; messages go to the test through a binding. A string, not a
 * function: the test's own transpiler may add helpers to a function's text that the page does not have.
 */
const installBridge = (kind: Bridge) =>
  kind === 'react-native'
    ? `window.ReactNativeWebView = { postMessage: (m) => window.__bridgeSink('react-native', m) };`
    : `window.webkit = { messageHandlers: { liqx: { postMessage: (m) => window.__bridgeSink('webkit', m) } } };`;

type Action = 'confirm' | 'decline' | 'expire';

async function hostedPayout(device: (typeof DEVICES)[number], action: Action) {
  const ref = `ord_${action}_${device.bridge}_${Date.now()}`;
  const link = await h.hostedPayout({ ref, expire: action === 'expire', user: { id: 'usr_phone', name: '홍길동', email: 'phone@example.com' } });
  const intentId = link.intentId;

  const context = await browser.newContext({ ...device.options, locale: 'ko-KR' });
  const bridged: { kind: string; message: unknown }[] = [];
  await context.exposeBinding('__bridgeSink', (_source, kind: string, message: unknown) => void bridged.push({ kind, message }));
  await context.addInitScript(installBridge(device.bridge));
  const page = await context.newPage();
  const requested: string[] = [];
  const committed: string[] = [];
  let token = '';
  page.on('request', (r) => requested.push(r.url()));
  page.on('framenavigated', (f) => committed.push(f.url()));
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname === `/hosted/${link.sessionId}` && r.status() === 200) {
      token = /name="liqx-session-token" content="([^"]+)"/.exec(await r.text())?.[1] ?? token;
    }
  });
  try {
    await page.goto(link.url);
    assert.equal(new URL(page.url()).pathname, `/hosted/${link.sessionId}`, 'the code URL redirected away');
    await page.locator('#confirm-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    const width = await page.evaluate(() => innerWidth);
    assert.equal(width, device.options.viewport!.width, 'the page runs at the device width (meta viewport)');
    if (action === 'confirm') await page.locator('#confirm-button').click();
    if (action === 'decline') {
      await page.locator('#decline-button').click();
      await page.locator('input[value="AMOUNT_INCORRECT"]').check();
      await page.locator('#decline-submit').click();
    }
    // Expiry: the server's timer ends the reservation; the page's countdown reaches zero and asks it.
    await page.locator('#done-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    const kind = await page.locator('#card').getAttribute('data-result');
    await page.locator('#done-button').click();
    await page.waitForURL((u) => u.origin === h.partnerOrigin, { timeout: STEP_TIMEOUT }).catch(async (e) => {
      throw new Error(`${e.message}\nat ${page.url()} (${kind}): ${(await page.locator('body').innerText()).slice(0, 400)}`);
    });
    const verdict = await page.locator('#verdict').textContent();
    const landed = page.url();

    const hooks = await waitFor('the outcome webhook', () => (h.webhooks.some((w) => w.intent_id === intentId) ? h.webhooks.filter((w) => w.intent_id === intentId) : undefined));
    // LIQX's own list of what it sent for the intent: one event (a second outcome would be listed there first).
    const events = await h.client.listEvents({ limit: 100 });
    assert.ok(events.ok);
    const sent = events.data.data.filter((e) => e.intent_id === intentId);

    const visited = { requested: [...requested], committed: [...committed] };
    // A second visit with the same link is refused (single-use code).
    const again = await page.goto(link.url);
    return { intentId, ref, token, kind, verdict, landed, ...visited, hooks, sent, bridged, againStatus: again?.status() };
  } finally {
    await context.close();
  }
}

const EXPECT: Record<Action, { kind: string; outcome: string; webhook: string; terminal: string; reason?: string }> = {
  confirm: { kind: 'completed', outcome: 'completed', webhook: 'transaction.completed', terminal: 'PAYOUT_COMPLETED' },
  decline: { kind: 'rejected', outcome: 'rejected', webhook: 'transaction.failed', terminal: 'PAYOUT_REJECTED', reason: 'AMOUNT_INCORRECT' },
  expire: { kind: 'expired', outcome: 'expired', webhook: 'transaction.expired', terminal: 'PAYOUT_EXPIRED', reason: 'INTENT_EXPIRED' },
};

let tamperSource = '';

for (const device of DEVICES) {
  for (const action of ['confirm', 'decline', 'expire'] as const) {
    test(`${device.name}: ${action} lands on return_url with a verified signature, one webhook, one terminal bridge message, no token in any URL`, async () => {
      const r = await hostedPayout(device, action);
      const want = EXPECT[action];
      assert.equal(r.kind, want.kind);
      assert.equal(r.verdict, `verified ${r.intentId} ${want.outcome}${want.reason ? ` ${want.reason}` : ''}`);
      const landed = new URL(r.landed);
      assert.equal(landed.searchParams.get('order'), r.ref, "return_url's own query is kept");
      if (action === 'decline') tamperSource = r.landed;

      assert.deepEqual(r.hooks.map((h) => h.type), [want.webhook]);
      assert.deepEqual(r.sent.map((e) => e.type), [want.webhook]);

      // The bridge: each event once, exactly one terminal one, about this intent.
      const messages = r.bridged.map((b) => {
        assert.equal(b.kind, device.bridge);
        // React Native's bridge carries strings, WebKit's the object itself.
        return (device.bridge === 'react-native' ? JSON.parse(b.message as string) : b.message) as { source: string; type: string; intentId: string };
      });
      const types = messages.map((m) => m.type);
      assert.deepEqual(types, action === 'confirm' ? ['PAYOUT_READY', 'PAYOUT_SUBMITTED', want.terminal] : ['PAYOUT_READY', want.terminal]);
      for (const m of messages) assert.deepEqual([m.source, m.intentId], ['liqx', r.intentId]);

      // The token: read from the page body, and in no URL the browser asked for or showed.
      assert.match(r.token, /^lqxwst_/);
      assert.ok(r.requested.length > 3, `requests seen: ${r.requested.length}`);
      for (const url of [...r.requested, ...r.committed]) assert.ok(!url.includes(r.token), `the token is in ${url}`);
      // The code: requested once per visit, never a committed page (the 303 replaced it), and gone after use.
      for (const url of r.committed) assert.ok(!url.includes('code='), `a committed URL holds the code: ${url}`);
      assert.equal(r.againStatus, 410);
      // No Referer at return_url (no-referrer on LIQX's answers): the partner's server never sees a LIQX URL.
      const ret = h.returns.find((x) => x.url === r.landed);
      assert.ok(ret, 'the partner served the return');
      assert.equal(ret.referer, undefined);
    });
  }
}

test('a tampered return is refused by the partner (BAD_SIGNATURE), and a stale one (EXPIRED)', async (t) => {
  if (!tamperSource) return t.skip('needs a decline flow above');
  const url = new URL(tamperSource);
  // The declined payout's payload rewritten to say completed, its signature kept.
  const payload = JSON.parse(Buffer.from(url.searchParams.get('liqx_result')!, 'base64url').toString('utf8'));
  url.searchParams.set('liqx_result', Buffer.from(JSON.stringify({ ...payload, outcome: 'completed' })).toString('base64url'));
  const context = await browser.newContext(devices['Pixel 7']);
  try {
    const page = await context.newPage();
    const res = await page.goto(url.toString());
    assert.equal(res?.status(), 400);
    assert.equal(await page.locator('#verdict').textContent(), 'refused BAD_SIGNATURE');
  } finally {
    await context.close();
  }
  await assert.rejects(verifyHostedReturn(tamperSource, { secret: h.sandbox.webhookSecret, now: () => Date.now() + 301_000 }), (e: unknown) => e instanceof HostedReturnError && e.code === 'EXPIRED');
});
