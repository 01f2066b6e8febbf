/**
 * Cold evaluation of host scripts, the bench's cold-eval row on its own: each script as an inline `<script>`,
 * prefixed with a unique comment (so V8 cannot reuse a compile from its cache), appended to a fresh about:blank
 * iframe (a fresh realm and custom-element registry), timed around the append (parse, compile, run); interleaved,
 * median. bench/peers.ts runs the same loop for its rows; this file runs it alone, so a change to the script-tag file
 * can be judged against an earlier build of it in one run:
 *
 *   node --import tsx bench/cold-eval.ts [label=path/to/other-build.js ...]     (BENCH_EVALS=25 by default)
 *
 * It evaluates dist/cdn/liqx-payout-widget.js (run `npm run build` first) and every file named, and prints the p50
 * of each and the spread between the interleaved rounds' quartiles. A busy machine shifts every figure; compare
 * within one run only.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
// @ts-expect-error: plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs';
import { median, quantile, round } from './stats.js';

/** Evaluations per script before the measured ones (the page's own warm-up, not the scripts'). */
const WARM = 2;

/** Times `evals` cold evaluations of each source, interleaved in a rotating order: milliseconds per source id. */
export async function coldEvaluations(page: Page, sources: Record<string, string>, evals: number): Promise<Map<string, number[]>> {
  await page.evaluate((s) => void ((globalThis as unknown as { sources: Record<string, string> }).sources = s), sources);
  const ids = Object.keys(sources);
  const times = new Map<string, number[]>(ids.map((id) => [id, []]));
  for (let i = 0; i < WARM + evals; i++) {
    for (let k = 0; k < ids.length; k++) {
      const id = ids[(k + i) % ids.length]!;
      const t = await page.evaluate(
        ({ id, nonce }) => {
          const f = document.createElement('iframe');
          document.body.append(f);
          const doc = f.contentDocument!;
          const win = f.contentWindow as Window & typeof globalThis;
          let failed: unknown = null;
          win.addEventListener('error', (e) => (failed = e.message));
          const script = doc.createElement('script');
          script.textContent = `/* ${nonce} */\n${(globalThis as unknown as { sources: Record<string, string> }).sources[id]}`;
          const t0 = performance.now();
          doc.head.append(script);
          const t = performance.now() - t0;
          f.remove();
          if (failed) throw new Error(`${id}: ${String(failed)}`);
          return t;
        },
        { id, nonce: `cold ${i} ${k} ${Math.random()}` },
      );
      if (i >= WARM) times.get(id)!.push(t);
    }
  }
  return times;
}

/** The page the evaluations run in, cross-origin isolated so performance.now() ticks at 5 us, not 100 us. */
export const EVAL_PAGE = {
  path: '/eval.html',
  headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8' },
  body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>eval</title></head><body></body></html>',
};

async function main(): Promise<void> {
  const evals = Number(process.env.BENCH_EVALS ?? 25);
  const sources: Record<string, string> = { 'script-tag file (dist/cdn/liqx-payout-widget.js)': readFileSync('dist/cdn/liqx-payout-widget.js', 'utf8') };
  for (const arg of process.argv.slice(2)) {
    const [label, path] = arg.includes('=') ? (arg.split(/=(.*)/s) as [string, string]) : [arg, arg];
    sources[label] = readFileSync(path, 'utf8');
  }
  const server = http.createServer((req, res) => {
    if (req.url !== EVAL_PAGE.path) return void res.writeHead(404).end();
    res.writeHead(200, EVAL_PAGE.headers).end(EVAL_PAGE.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found (set CHROME_PATH)');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.addInitScript('globalThis.__name = (fn) => fn;');
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}${EVAL_PAGE.path}`);
    const times = await coldEvaluations(page, sources, evals);
    console.log(`| host script cold evaluation, p50 of ${evals} (interleaved) | p50 | p25 .. p75 |`);
    console.log('|---|---:|---|');
    for (const [id, t] of times) console.log(`| ${id} | ${round(median(t))} ms | ${round(quantile(t, 0.25))} .. ${round(quantile(t, 0.75))} ms |`);
    console.log(`# ${browser.version()}; ${new Date().toISOString()}`);
  } finally {
    await browser.close();
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
