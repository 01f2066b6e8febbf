/**
 * The widget gallery's pages as the partner proxy serves them (demo/server/gallery.ts): built into a temporary
 * directory, fetched over HTTP. The gallery may frame its own origin (the test harness's fake frame) and the mock
 * LIQX; the fake frame may be framed only by the gallery's origin; neither has an inline script or style.
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

test("the fake frame page: the package's fake frame script, framed only by the gallery's origin", async () => {
  const res = await fetch(`${demo.partnerUrl}/gallery/fake-frame.html`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /frame-ancestors 'self'(;|$)/);
  assert.match(csp, /frame-src 'none'(;|$)/);
  const html = await res.text();
  noInline(html);
  const entry = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(entry, 'the page loads a built module');
  const js = await (await fetch(`${demo.partnerUrl}${entry}`)).text();
  // The fake frame is loaded by a dynamic import; that chunk must hold the frame SDK's driver (not tree-shaken away).
  const chunk = /import\(`?["'`]?\.\/(fake-frame-[\w-]+\.js)/.exec(js)?.[1] ?? /(fake-frame-[\w-]+\.js)/.exec(js)?.[1];
  assert.ok(chunk, `the entry imports the fake frame chunk: ${js.slice(0, 300)}`);
  const fake = await (await fetch(`${demo.partnerUrl}/assets/${chunk}`)).text();
  assert.match(fake, /liqxFakeFrame/);
});
