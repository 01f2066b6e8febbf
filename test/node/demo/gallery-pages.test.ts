/**
 * The widget gallery's pages (demo/server/gallery.ts, demo/server/liqx/frame-page.ts): built into a temporary
 * directory, fetched over HTTP. The gallery may frame the mock LIQX, whose gallery copy of the payout page only the
 * partner origins may frame; neither has an inline script or style.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'vite';
import { startDemo, type RunningDemo } from '../../../demo/server/main.js';
import { FAST, tempDataDir } from './demo-helpers.js';

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

function noInline(html: string): void {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
  assert.doesNotMatch(html, /<style[\s>]|\sstyle="/, 'no inline style');
}

test('the gallery page: strict CSP framing itself and the mock LIQX, linked from the simulator', async () => {
  for (const path of ['/gallery.html', '/gallery']) {
    const res = await fetch(`${demo.partnerUrl}${path}`);
    assert.equal(res.status, 200, path);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, new RegExp(`frame-src 'self' ${demo.liqxUrl}(;|$)`));
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'self'(;|$)/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();
    noInline(html);
    assert.match(html, /<h1 id="gallery-title">Widget gallery<\/h1>/);
  }
  const home = await (await fetch(`${demo.partnerUrl}/`)).text();
  assert.match(home, /<a href="\/gallery.html">Widget gallery<\/a>/);
});

test("the gallery's payout page: on the mock LIQX origin, framed only by the partner, never the real widget route", async () => {
  const res = await fetch(`${demo.liqxUrl}/gallery/frame?screen=ready`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, new RegExp(`frame-ancestors ${demo.partnerUrl}(;|$)`));
  assert.match(csp, /frame-src 'none'(;|$)/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const html = await res.text();
  noInline(html);
  assert.match(html, new RegExp(`<meta name="liqx-parent-origins" content="${demo.partnerUrl}"`));
  const entry = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(entry, 'the page loads a built module');
  // The real frame page is another build entry: the gallery's fixed data and frozen clock are not in it.
  const session = await fetch(`${demo.liqxUrl}/widget/ses_unknown`);
  const real = await session.text();
  const realEntry = /src="(\/assets\/[^"]+\.js)"/.exec(real)?.[1];
  assert.ok(realEntry, 'the real page loads a built module');
  assert.notEqual(realEntry, entry);
  const realJs = await (await fetch(`${demo.liqxUrl}${realEntry}`)).text();
  assert.doesNotMatch(realJs, /gallery/i, 'the real frame page carries nothing of the gallery');
  // The gallery page learns the mock LIQX origin from its server.
  const gallery = await (await fetch(`${demo.partnerUrl}/gallery.html`)).text();
  assert.match(gallery, new RegExp(`<meta name="liqx-origin" content="${demo.liqxUrl}"`));
});
