/**
 * The built demo pages as the two servers serve them: built here into a temporary directory (so a
 * concurrent `npm run demo` or the e2e build is never disturbed), then fetched over HTTP.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'vite';
import type { RunningDemo } from '../../../demo/server/main.js';
import { startDemo } from '../../../demo/server/main.js';
import { FAST, createPayout, tempDataDir } from './demo-helpers.js';

let demo: RunningDemo;
const data = tempDataDir();
const dist = tempDataDir();

before(async () => {
  await build({ configFile: 'demo/vite.config.ts', logLevel: 'silent', build: { outDir: dist.dir, emptyOutDir: true } });
  demo = await startDemo({ ...FAST, dataDir: data.dir, distDir: dist.dir });
});
after(async () => {
  await demo?.close();
  data.remove();
  dist.remove();
});

test('the partner serves the host page with a CSP that frames only the LIQX origin', async () => {
  const res = await fetch(`${demo.partnerUrl}/`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, new RegExp(`frame-src ${demo.liqxUrl}(;|$)`));
  assert.match(csp, /script-src 'self'(;|$)/);
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /<style[\s>]|\sstyle="/, 'no inline style');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(asset, 'the page loads a built module');
  const js = await fetch(`${demo.partnerUrl}${asset}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /javascript/);
});

test('the widget page is embeddable only by the partner and names its parent origin and intent', async () => {
  const payout = await createPayout(demo, { scenario: 'VERIFIED' });
  const res = await fetch(payout.body.widget_session.widget_url);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, new RegExp(`frame-ancestors ${demo.partnerUrl}(;|$)`));
  assert.match(csp, /script-src 'self'/);
  assert.match(csp, /connect-src 'self'/);
  const html = await res.text();
  assert.match(html, new RegExp(`<meta name="liqx-parent-origins" content="${demo.partnerUrl}"`));
  assert.match(html, new RegExp(`<meta name="liqx-intent-id" content="${payout.body.intent_id}"`));
  assert.ok(!html.includes(payout.body.widget_session.session_token), 'the token is never in the page');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.equal((await fetch(`${demo.liqxUrl}${asset}`)).status, 200, 'the frame script is served from the LIQX origin');
});

test('an unknown session gets the page with 404 and no intent', async () => {
  const res = await fetch(`${demo.liqxUrl}/widget/ws_unknown`);
  assert.equal(res.status, 404);
  assert.match(await res.text(), /<meta name="liqx-intent-id" content=""/);
});
