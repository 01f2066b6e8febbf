import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { bundleMinimalFrame, MINIMAL_FRAME_HTML } from './test/fixtures/bundle-frame.mjs';
const ISO = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'cross-origin', 'cache-control': 'no-store' };
function serve(routes: Record<string, { type: string; body: string | Buffer }>): Promise<string> {
  const s = http.createServer((req, res) => { const r = routes[new URL(req.url ?? '/', 'http://x').pathname]; if (!r) return void res.writeHead(404, ISO).end(); res.writeHead(200, { ...ISO, 'content-type': r.type }).end(r.body); });
  return new Promise((ok) => s.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));
}
const fo = await serve({ '/f.html': { type: 'text/html', body: MINIMAL_FRAME_HTML.replace('%SCRIPT%', '/f.js') }, '/f.js': { type: 'text/javascript', body: await bundleMinimalFrame() } });
const ho = await serve({ '/': { type: 'text/html', body: '<!doctype html><title>h</title><script src="/w.js"></script><body></body>' }, '/w.js': { type: 'text/javascript', body: readFileSync('dist/cdn/liqx-payout-widget.js') } });
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
const p = await b.newPage();
await p.addInitScript('globalThis.__name = (fn) => fn;');
await p.goto(ho + '/');
const url = `${fo}/f.html?parent=${encodeURIComponent(ho)}`;
const res = await p.evaluate(async (url) => {
  const out: Record<string, number[]> = {};
  const push = (k: string, v: number) => (out[k] ??= []).push(v);
  const frozen = document.createElement('style');
  frozen.textContent = 'liqx-payout-widget.still::part(spinner) { animation: none; } liqx-payout-widget.noload::part(loading) { display: none; }';
  document.head.append(frozen);
  const bare = () => new Promise<void>((resolve) => {
    const f = document.createElement('iframe');
    const on = (e: MessageEvent) => { if (e.source !== f.contentWindow || e.data?.minimalFrame !== 'loaded') return; push('bare', performance.now() - t0); removeEventListener('message', on); f.remove(); resolve(); };
    addEventListener('message', on); f.src = `${url}&bare=1&intent=x`; const t0 = performance.now(); document.body.append(f);
  });
  const widget = (i: number, cls: string) => new Promise<void>((resolve) => {
    const el = document.createElement('liqx-payout-widget') as any;
    if (cls) el.className = cls;
    let syn = NaN;
    const on = (e: MessageEvent) => { if (Number.isNaN(syn) && e.data?.namespace === 'penpal' && e.data.type === 'SYN') syn = performance.now() - t0; };
    addEventListener('message', on, true);
    el.addEventListener('liqx-ready', () => { push(`${cls || 'normal'}:syn`, syn); push(`${cls || 'normal'}:ready`, performance.now() - t0); removeEventListener('message', on, true); el.remove(); resolve(); }, { once: true });
    el.session = { session_id: `s${i}`, widget_url: `${url}&intent=i${i}`, session_token: 't', expires_at: new Date(Date.now() + 3e6).toISOString(), intent_id: `i${i}` };
    const t0 = performance.now(); document.body.append(el);
  });
  const bare2 = (name: string, post: boolean) => new Promise<void>((resolve) => {
    const f = document.createElement('iframe');
    const on = (e: MessageEvent) => { if (e.source !== f.contentWindow || e.data?.minimalFrame !== 'loaded') return; push(name, performance.now() - t0); removeEventListener('message', on); f.remove(); resolve(); };
    addEventListener('message', on); f.src = `${url}&bare=1&intent=x`; const t0 = performance.now(); document.body.append(f);
    if (post) f.contentWindow!.postMessage({ namespace: 'penpal', type: 'SYN' }, { targetOrigin: new URL(url).origin });
  });
  for (let i = 0; i < 3; i++) { await bare(); await widget(-i - 1, ''); }
  for (let i = 0; i < 40; i++) { await bare2('bare-nopost', false); await bare2('bare-post', true); }
  for (let i = 0; i < 40; i++) { await bare(); await widget(i, ''); }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, med(v).toFixed(2)]));
}, url);
console.log(res);
await b.close(); process.exit(0);
