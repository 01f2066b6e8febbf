/**
 * The script-tag build on a plain partner page: the page is on a foreign origin (PAGE_ORIGIN), loads
 * dist/cdn/liqx-payout-widget.js with a plain <script> from the CDN (the test server's origin), and embeds the
 * frame from a third origin (FRAME_ORIGIN). Then the same under a strict Content-Security-Policy header.
 * Needs `npm run build` first (`npm test` does it).
 */
import { expect, waitUntil } from '@open-wc/testing';
import { FRAME_ORIGIN } from '/__fixtures/env.js';
import { CDN_ORIGIN, PAGE_ORIGIN } from 'liqx-test-pages';
import { makeSession } from './helpers.js';

interface PageMessage {
  pageLoaded?: boolean;
  pageEvent?: string;
  detail?: Record<string, unknown>;
  pageResult?: number;
  liqxTestResult?: number;
  liqxTestStatus?: boolean;
  ok?: boolean;
  value?: unknown;
  error?: string;
  state?: string;
  token?: string;
}

/** An iframe with the partner page, and helpers to talk to it (and, through it, to the LIQX frame). */
async function openPartnerPage(csp: boolean, pageFile = 'script-tag.html', params: Record<string, string> = {}) {
  const iframe = document.createElement('iframe');
  const url = new URL(`${PAGE_ORIGIN}/pages/${pageFile}`);
  url.searchParams.set('frame', FRAME_ORIGIN);
  if (csp) url.searchParams.set('csp', 'strict');
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  iframe.src = url.href;
  iframe.style.width = '800px';
  iframe.style.height = '700px';
  const inbox: PageMessage[] = [];
  const waiters = new Set<() => void>();
  const onMessage = (event: MessageEvent) => {
    if (event.source !== iframe.contentWindow || event.origin !== PAGE_ORIGIN) return;
    inbox.push(event.data);
    for (const w of [...waiters]) w();
  };
  window.addEventListener('message', onMessage);
  const next = (match: (m: PageMessage) => boolean, ms = 8000) =>
    new Promise<PageMessage>((resolve, reject) => {
      const check = () => {
        const found = inbox.find(match);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out; page said: ${JSON.stringify(inbox)}`));
      }, ms);
      waiters.add(check);
      check();
    });
  let ids = 0;
  const post = (msg: object) => iframe.contentWindow!.postMessage(msg, PAGE_ORIGIN);
  const page = async (cmd: string, args: object = {}) => {
    const id = ++ids;
    post({ page: cmd, id, ...args });
    const answer = await next((m) => m.pageResult === id);
    if (!answer.ok) throw new Error(answer.error);
    return answer.value as Record<string, unknown> & unknown[];
  };
  const frameSdk = async (method: string, ...args: unknown[]) => {
    const id = 10_000 + ++ids;
    post({ liqxTest: id, cmd: 'sdk', method, args });
    return next((m) => m.liqxTestResult === id);
  };
  const loaded = next((m) => m.pageLoaded === true);
  document.body.append(iframe);
  await loaded;
  const close = () => {
    window.removeEventListener('message', onMessage);
    iframe.remove();
  };
  return { iframe, inbox, next, page, frameSdk, close };
}

async function roundTrip(csp: boolean, pageFile?: string, params?: Record<string, string>) {
  const p = await openPartnerPage(csp, pageFile, params);
  try {
    const before = await p.page('info');
    expect(before.defined, 'the plain <script> defined the element').to.be.true;
    // The full list of window's own properties, compared with the one taken before the script ran.
    expect(before.globals, 'no new property on window').to.deep.equal([]);

    // The frame trusts the partner page's origin; the element trusts exactly FRAME_ORIGIN.
    const session = makeSession({ extra: { parent: PAGE_ORIGIN } });
    await p.page('session', { session });
    const status = await p.next((m) => m.liqxTestStatus === true);
    expect(status.state).to.equal('connected');
    expect(status.token, 'the token arrived over the channel').to.equal(session.session_token);

    expect((await p.frameSdk('ready')).ok).to.be.true;
    const ready = await p.next((m) => m.pageEvent === 'liqx-ready');
    expect(ready.detail!.intentId).to.equal(session.intent_id);

    expect((await p.frameSdk('completed', { transactionId: 'tx_1' })).ok).to.be.true;
    const completed = await p.next((m) => m.pageEvent === 'liqx-payout-completed');
    expect(completed.detail).to.include({ intentId: session.intent_id, sessionId: session.session_id, transactionId: 'tx_1' });

    const after = await p.page('info');
    expect(after).to.include({ state: 'completed', callbacks: 1, iframes: 1, frameOrigin: FRAME_ORIGIN });
    expect(after.baseBorderRadius, 'the element styles applied').to.equal('12px');
    expect(after.globals, 'still none after a session ran (nothing lazy either)').to.deep.equal([]);
    expect(p.inbox.filter((m) => m.pageEvent === 'liqx-protocol-error' || m.pageEvent === 'liqx-error')).to.deep.equal([]);
    return { p, after };
  } catch (error) {
    p.close();
    throw error;
  }
}

describe('script-tag build on a plain page', () => {
  it('loads from a CDN origin on a foreign-origin page and completes an event round trip with a third-origin frame', async () => {
    const { p } = await roundTrip(false);
    p.close();
  });

  it('works under a strict CSP (script-src page + CDN, style-src self, frame-src LIQX) with zero violations', async () => {
    const { p, after } = await roundTrip(true);
    try {
      expect(after.styleElements, 'no <style> elements (they would need unsafe-inline)').to.equal(0);
      expect(after.adoptedSheets).to.be.greaterThan(0);
      expect(await p.page('violations')).to.deep.equal([]);

      // The collector is live: an inline style attribute, which the policy forbids, is reported.
      await p.page('probe');
      // The report is an event queued after the probe: wait for it (bounded), never for a fixed span.
      let violations: Array<{ directive: string }> = [];
      await waitUntil(async () => (violations = (await p.page('violations')) as unknown as Array<{ directive: string }>).length > 0, 'no CSP violation reported for the probe', { timeout: 5000 });
      expect(violations.map((v) => v.directive)).to.deep.equal(['style-src-attr']);
    } finally {
      p.close();
    }
  });
});

describe('script-tag build in a browser below the support matrix (README "Browser support")', () => {
  it('without adoptedStyleSheets (Safari < 16.4, Firefox < 101), under the strict CSP: liqx-error UNSUPPORTED_BROWSER, no frame, no <style>, zero violations', async () => {
    // test/fixtures/pages/no-adopted-style-sheets.js takes the feature away before the widget script loads.
    const p = await openPartnerPage(true, 'script-tag-legacy.html');
    try {
      const before = await p.page('info');
      expect(before.defined, 'the file parsed and defined the element').to.be.true;
      const session = makeSession({ extra: { parent: PAGE_ORIGIN } });
      await p.page('session', { session });
      const failed = await p.next((m) => m.pageEvent === 'liqx-error');
      expect(failed.detail).to.include({ code: 'UNSUPPORTED_BROWSER', source: 'host' });
      expect(String(failed.detail?.message ?? '').trim(), 'UNSUPPORTED_BROWSER says why').to.not.equal('');
      const after = await p.page('info');
      expect(after).to.include({ state: 'error', iframes: 0, styleElements: 0, adoptedSheets: 0 });
      expect(await p.page('violations'), 'no CSP violation: no <style> element was tried').to.deep.equal([]);
      expect(p.inbox.some((m) => m.liqxTestStatus), 'no frame ever loaded').to.be.false;
    } finally {
      p.close();
    }
  });
});

/** `sha384-<base64>` of some bytes, computed in the browser. */
async function sha384(bytes: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-384', bytes));
  return `sha384-${btoa(String.fromCharCode(...digest))}`;
}

describe('script-tag build pinned with Subresource Integrity (README "Pinning the file")', () => {
  // test/fixtures/pages/script-tag-sri.html: <script src="<CDN_ORIGIN>/cdn/liqx-payout-widget@<version>/liqx-payout-widget.js"
  // integrity="..." crossorigin="anonymous">; the CDN (CORS) and the page (PAGE_ORIGIN) are two other origins.
  it('the right hash (the build\'s dist/cdn/liqx-payout-widget.js.sri): the file runs and a payout round trip works, under the strict CSP', async () => {
    const integrity = (await (await fetch('/dist/cdn/liqx-payout-widget.js.sri')).text()).trim();
    expect(integrity, 'the build wrote the .sri file').to.match(/^sha384-[A-Za-z0-9+/]{64}$/);
    // The CDN origin serves with CORS, so this page may read the bytes too (a fetch without CORS would throw): the .sri value is their hash.
    const version = ((await (await fetch('/package.json')).json()) as { version: string }).version;
    const served = await fetch(`${CDN_ORIGIN}/cdn/liqx-payout-widget@${version}/liqx-payout-widget.js`);
    expect(served.status, 'a cross-origin fetch reads it: CORS allows this origin').to.equal(200);
    expect(await sha384(await served.arrayBuffer()), 'the .sri value is the hash of the served bytes').to.equal(integrity);
    const { p } = await roundTrip(true, 'script-tag-sri.html', { integrity });
    try {
      expect(p.inbox.filter((m) => m.pageEvent === 'script-error'), 'no script refused').to.deep.equal([]);
      expect(await p.page('violations')).to.deep.equal([]);
    } finally {
      p.close();
    }
  });

  it('a wrong hash: the browser refuses the file, the page gets the <script> error event, the element stays undefined', async () => {
    const wrong = await sha384(new TextEncoder().encode('not the published file'));
    const p = await openPartnerPage(false, 'script-tag-sri.html', { integrity: wrong });
    try {
      const refused = await p.next((m) => m.pageEvent === 'script-error');
      expect(refused.detail).to.include({ integrity: wrong });
      expect(String(refused.detail!.src)).to.match(/\/cdn\/liqx-payout-widget@[^/]+\/liqx-payout-widget\.js$/);
      const info = await p.page('info');
      expect(info).to.include({ defined: false, iframes: -1 });
      expect(info.globals, 'nothing of the file ran').to.deep.equal([]);
    } finally {
      p.close();
    }
  });
});
