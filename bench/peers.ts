/**
 * The browser rows: the widget beside its peers, in one interleaved run (headless Chromium, playwright-core).
 *
 * Contenders: the bare floor (an iframe and one raw postMessage), penpal 7 raw (connect + one call), post-robot 10,
 * zoid 9, and the widget (the real script-tag file). Each one has its own host page on 127.0.0.1 (only its own
 * script: post-robot's and zoid's window listeners would tax every other contender's messages) and embeds the same
 * minimal frame page (bench/frames/) served from `localhost`, a second site, so the frame runs in its own renderer
 * process as in production. Every host page keeps a bare iframe of the frame's site alive, so no round pays for a
 * process start. Both sites are cross-origin isolated (COOP + COEP; CORP on the frame): host timers tick at 5 us.
 *
 * Rows:
 * - time to ready: from `mount` (the host creates the iframe or the element) until the library tells the host the
 *   frame is ready; each round runs every contender once, in a rotating order; a contender's figure is the median of
 *   its per-round ratio to the floor (and to penpal raw) in the same round;
 * - relay over the floor: the host posts `{ bench: 'emitOne' }` raw to the frame, the frame sends one event through
 *   its library, the host's callback fires: the median of that, minus the floor's (raw message, raw answer);
 * - cold evaluation of the host script: an inline `<script>` with the contender's file, prefixed with a unique
 *   comment (so V8 cannot reuse a compile from its cache), appended to a fresh about:blank iframe (a fresh realm
 *   and custom-element registry), timed around the append (parse, compile, run); interleaved, median;
 * - gzip bytes of the host script (level 9).
 * The widget's own rows of before stay: protocol overhead (the widget minus its own frame page loaded as a bare
 * iframe, which runs the same script without connecting; per round) and the relay latency p50 and p99 over 1,000
 * events.
 * - gzip bytes of each frame script (the library's frame side + the bench glue: what the frame page loads before it
 *   can start its handshake; the widget's is the frame SDK).
 * Split notes: mount -> the frame's script runs / -> the host gets the frame's first message / -> ready, and the frame
 * document's own Navigation Timing on the shared clock (navigation start, request, response start and end), which
 * says whether a late script start is the frame's document or the time after it.
 * Investigation switches: `BENCH_WIDGET_BASELINE=other-build.js` measures another build of the script-tag file in the
 * same rounds and evaluation loop; `BENCH_SKIP=post-robot,zoid` leaves those two peers out of a quick run.
 * Profile notes: the same cold evaluation for the parts of the widget's file (the protocol schemas and their builders,
 * Lit's ReactiveElement with and without the styles, the channel, the dependency floor).
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { build as esbuild } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
// @ts-expect-error: plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../scripts/find-chromium.mjs';
import { BUNDLE, ensureBundle, FRAME_SDK_GOAL_GZIP, gzipBytes } from './size.js';
import { SCRIPT_TAG_SIZE } from '../build/size-budget.js';
import { median, quantile, round, type Report } from './stats.js';
import { coldEvaluations } from './cold-eval.js';

export interface PeerBenchSizes {
  /** Measured rounds of time to ready (each runs every contender once), after 3 warm-up rounds. */
  rounds: number;
  /** Relay events per contender per round. */
  relaysPerRound: number;
  /** Cold evaluations per script. */
  evals: number;
  /** Relay events of the widget's own p50/p99 rows. */
  relay: number;
}

type ContenderId = 'bare' | 'penpal' | 'post-robot' | 'zoid' | 'widget';
interface Contender {
  id: ContenderId;
  label: string;
  /** A library file (UMD or IIFE) put before the glue in the host script, and in the frame's script. */
  lib?: string;
  /** The library's frame side, when not `lib` itself. */
  frameLib?: string;
}

const version = (pkg: string) => (JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;

/** `BENCH_SKIP=post-robot,zoid`: leave those peers out of a quick investigation run (the floor, penpal and the widget always run). */
const SKIP = new Set<string>((process.env.BENCH_SKIP ?? '').split(',').filter((id) => id === 'post-robot' || id === 'zoid'));
const CONTENDERS: Contender[] = ([
  { id: 'bare', label: 'bare floor (iframe + one raw postMessage)' },
  { id: 'penpal', label: `penpal ${version('penpal')} raw (connect + one call)` },
  { id: 'post-robot', label: `post-robot ${version('post-robot')}`, lib: 'node_modules/post-robot/dist/post-robot.min.js' },
  { id: 'zoid', label: `zoid ${version('zoid')}`, lib: 'node_modules/zoid/dist/zoid.min.js' },
  { id: 'widget', label: 'liqx-payout-widget (script-tag file)', lib: BUNDLE },
] as Contender[]).filter((c) => !SKIP.has(c.id));
/** Measured in the same rounds, reported in the notes: penpal raw with the widget's iframe (sandbox, allow, referrerpolicy, fragment). */
const PENPAL_AS_WIDGET = 'penpal-widget-iframe';
/** Measured in the same rounds: the widget's frame page loaded as a bare iframe, not connecting (the protocol overhead row's baseline). */
const WIDGET_FRAME_BARE = 'widget-frame-bare';
/**
 * `BENCH_WIDGET_BASELINE=path/to/other-build.js`: another build of the script-tag file, measured in the same rounds
 * (same glue, same frame) and in the same cold-evaluation loop, so a change is judged against it within one run.
 */
const WIDGET_BASELINE = 'widget-baseline';
const baselineFile = process.env.BENCH_WIDGET_BASELINE;

const bundle = async (options: { entry?: string; contents?: string; format?: 'iife' | 'esm' }) => {
  const out = await esbuild({
    ...(options.entry ? { entryPoints: [options.entry] } : { stdin: { contents: options.contents!, resolveDir: process.cwd(), loader: 'ts' } }),
    bundle: true,
    minify: true,
    format: options.format ?? 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
};
const withLib = (lib: string | undefined, glue: string) => (lib ? `${readFileSync(lib, 'utf8')}\n${glue}` : glue);

/** Both sites cross-origin isolated: performance.now() ticks at 5 us, not 100 us. */
const ISOLATION = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
  'cache-control': 'no-store',
};
type Routes = Record<string, { type: string; body: string }>;

function serve(routes: Routes, host: string, name: string): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const route = routes[new URL(req.url ?? '/', 'http://x').pathname];
    if (!route) return void res.writeHead(404, ISOLATION).end();
    res.writeHead(200, { ...ISOLATION, 'content-type': route.type }).end(route.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as AddressInfo;
      resolve({ origin: `http://${name}:${port}`, close: () => new Promise((ok) => (server.close(() => ok()), server.closeAllConnections())) });
    });
  });
}

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const FRAME_PAGE = (script: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Minimal payout frame</title></head><body><main><p>Minimal payout frame</p></main><script src="${script}"></script></body></html>`;

export async function peerRows(N: PeerBenchSizes, { rows, notes }: Report): Promise<void> {
  ensureBundle();
  // Host scripts (library + glue) and frame scripts, per contender.
  const hostScripts = {} as Record<ContenderId, string>;
  const frameRoutes: Routes = {};
  for (const c of CONTENDERS) {
    hostScripts[c.id] = withLib(c.lib, await bundle({ entry: `bench/hosts/${c.id}.ts` }));
    const frameScript = c.id === 'widget' ? await bundle({ entry: 'bench/frames/widget.ts' }) : withLib(c.frameLib ?? c.lib, await bundle({ entry: `bench/frames/${c.id}.ts` }));
    frameRoutes[`/frames/${c.id}.js`] = { type: JS, body: frameScript };
    frameRoutes[`/frame-${c.id}.html`] = { type: HTML, body: FRAME_PAGE(`/frames/${c.id}.js`) };
  }
  // The dual-stack wildcard answers `localhost` whichever loopback address Chromium tries first.
  const frameServer = await serve(frameRoutes, '::', 'localhost').catch(() => serve(frameRoutes, '127.0.0.1', 'localhost'));
  const hostRoutes: Routes = { '/eval.html': { type: HTML, body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>eval</title></head><body></body></html>' } };
  for (const c of CONTENDERS) {
    hostRoutes[`/host-${c.id}.js`] = { type: JS, body: hostScripts[c.id] };
    hostRoutes[`/host-${c.id}.html`] = {
      type: HTML,
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench host ${c.id}</title><script src="/host-${c.id}.js"></script></head><body></body></html>`,
    };
  }
  if (baselineFile) {
    hostRoutes[`/host-${WIDGET_BASELINE}.js`] = { type: JS, body: withLib(baselineFile, await bundle({ entry: 'bench/hosts/widget.ts' })) };
    hostRoutes[`/host-${WIDGET_BASELINE}.html`] = { type: HTML, body: hostRoutes['/host-widget.html']!.body.replace('/host-widget.js', `/host-${WIDGET_BASELINE}.js`) };
  }
  const hostServer = await serve(hostRoutes, '127.0.0.1', '127.0.0.1');
  // What each frame runs before it can start its handshake: the frame side of its library (the widget's is the frame SDK).
  notes.push(`frame scripts (the library's frame side + glue), minified / gzip: ${CONTENDERS.map((c) => `${c.id} ${frameRoutes[`/frames/${c.id}.js`]!.body.length} / ${gzipBytes(frameRoutes[`/frames/${c.id}.js`]!.body)} B`).join(', ')}`);
  const frameUrl = (id: string) => `${frameServer.origin}/frame-${id}.html?parent=${encodeURIComponent(hostServer.origin)}`;

  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found (set CHROME_PATH)');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    notes.push(`browser: ${browser.version()}; host pages on ${hostServer.origin}, frames on ${frameServer.origin} (another site: its own renderer process)`);
    await readyAndRelay(browser, N, hostServer.origin, frameUrl, rows, notes);
    await evaluation(browser, N, hostServer.origin, hostScripts, rows, notes);
  } finally {
    await browser.close();
    await Promise.all([frameServer.close(), hostServer.close()]);
  }
  for (const c of CONTENDERS) {
    rows.push({ metric: `host script gzip, ${c.label}`, value: gzipBytes(c.id === 'widget' ? readFileSync(BUNDLE) : hostScripts[c.id]), unit: 'B', goal: c.id === 'widget' ? `<= ${SCRIPT_TAG_SIZE.goalGzip} B` : '(reported)', pass: c.id === 'widget' ? gzipBytes(readFileSync(BUNDLE)) <= SCRIPT_TAG_SIZE.goalGzip : null });
  }
  // What each frame page loads before it can start its handshake: the library's frame side + the bench glue.
  for (const c of CONTENDERS) {
    const gz = gzipBytes(frameRoutes[`/frames/${c.id}.js`]!.body);
    rows.push({ metric: `frame script gzip, ${c.label}`, value: gz, unit: 'B', goal: c.id === 'widget' ? `<= ${FRAME_SDK_GOAL_GZIP} B` : '(reported)', pass: c.id === 'widget' ? gz <= FRAME_SDK_GOAL_GZIP : null });
  }
}

async function hostPage(browser: Browser, origin: string, id: ContenderId | typeof WIDGET_BASELINE, keepAliveUrl: string): Promise<Page> {
  const page = await browser.newPage();
  if (process.env.BENCH_DEBUG) page.on('console', (m) => console.error(`# ${id}: ${m.text()}`));
  // tsx compiles this file with esbuild's keepNames: functions passed to page.evaluate call its `__name` helper.
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  await page.goto(`${origin}/host-${id}.html`);
  await page.waitForFunction(() => 'benchHost' in globalThis);
  // Keeps the frame site's renderer process up between rounds (a bare frame that posts once and then idles).
  await page.evaluate(async (url) => {
    const f = document.createElement('iframe');
    f.title = 'keep-alive';
    f.src = url;
    await new Promise((r) => ((f.onload = r), document.body.append(f)));
  }, keepAliveUrl);
  return page;
}

interface Sample {
  ready: number;
  /** mount -> the frame's script began to run (the frame's stamp on the shared clock). */
  scriptRan: number;
  /** mount -> the first message from the frame's origin (the frame's script has run). */
  firstMessage: number;
  /** mount -> the frame's navigation started / its request went out / its response began / ended (frame's Navigation Timing). */
  nav: number[];
  relay: number[];
}

/** One mount of the page's contender: time to ready, then `relays` events one at a time, then dispose. */
function measure(page: Page, url: string, relays: number, widgetAttributes = false, only?: string): Promise<Sample> {
  return page.evaluate(
    async ({ url, relays, widgetAttributes, only }) => {
      type Mounted = { ready: Promise<void>; frames(): HTMLIFrameElement[]; dispose(): void };
      const host = (globalThis as unknown as { benchHost: { mount(u: string, e: () => void, o?: object): Mounted } }).benchHost;
      const frameOrigin = new URL(url).origin;
      const keepAlive = document.querySelector<HTMLIFrameElement>('iframe[title="keep-alive"]')?.contentWindow;
      const within = <T,>(p: Promise<T>, what: string) =>
        Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in 15 s`)), 15_000))]);
      let onEvent: (() => void) | null = null;
      let firstMessage = NaN;
      const onAny = (e: MessageEvent) => {
        if (Number.isNaN(firstMessage) && e.origin === frameOrigin && e.source !== keepAlive) firstMessage = performance.now() - t0;
      };
      window.addEventListener('message', onAny, true);
      const t0 = performance.now();
      const m = host.mount(url, () => onEvent?.(), { widgetAttributes, only });
      await within(m.ready, 'ready');
      const ready = performance.now() - t0;
      window.removeEventListener('message', onAny, true);
      // When the frame's script ran, on the clock both documents share.
      let nav: number[] = [];
      const stamp = new Promise<number>((resolve) => {
        const onStamp = (e: MessageEvent) => {
          if (e.origin !== frameOrigin || e.data?.bench !== 'stamp') return;
          window.removeEventListener('message', onStamp);
          nav = (e.data.nav as number[]).map((t) => t - (performance.timeOrigin + t0));
          resolve(e.data.scriptRan - (performance.timeOrigin + t0));
        };
        window.addEventListener('message', onStamp);
      });
      for (const f of m.frames()) f.contentWindow?.postMessage({ bench: 'stamp' }, frameOrigin);
      const scriptRan = await within(stamp, 'stamp');
      const relay: number[] = [];
      for (let i = 0; i < relays; i++) {
        const got = new Promise<void>((r) => (onEvent = r));
        const s = performance.now();
        for (const f of m.frames()) f.contentWindow?.postMessage({ bench: 'emitOne' }, frameOrigin);
        await within(got, `relay ${i}`);
        relay.push(performance.now() - s);
      }
      onEvent = null;
      m.dispose();
      return { ready, scriptRan, firstMessage, nav, relay };
    },
    { url, relays, widgetAttributes, only },
  );
}

async function readyAndRelay(browser: Browser, N: PeerBenchSizes, origin: string, frameUrl: (id: string) => string, rows: Report['rows'], notes: string[]): Promise<void> {
  const keepAliveUrl = frameUrl('bare');
  const pages = {} as Record<ContenderId, Page>;
  for (const c of CONTENDERS) pages[c.id] = await hostPage(browser, origin, c.id, keepAliveUrl);
  const penpalAsWidget = await hostPage(browser, origin, 'penpal', keepAliveUrl);
  const baselinePage = baselineFile ? await hostPage(browser, origin, WIDGET_BASELINE, keepAliveUrl) : null;
  const runners: Array<{ id: string; run: (relays: number) => Promise<Sample> }> = [
    ...CONTENDERS.map((c) => ({ id: c.id, run: (relays: number) => measure(pages[c.id], frameUrl(c.id), relays) })),
    { id: PENPAL_AS_WIDGET, run: (relays: number) => measure(penpalAsWidget, frameUrl('penpal'), relays, true) },
    { id: WIDGET_FRAME_BARE, run: () => measure(pages.bare, `${frameUrl('widget')}&bare=1`, 0) },
    // BENCH_IFRAME_TRAITS=1: penpal raw with each of the widget's iframe traits alone (an investigation, notes only).
    ...(baselineFile ? [{ id: WIDGET_BASELINE, run: (relays: number) => measure(baselinePage!, frameUrl('widget'), relays) }] : []),
    ...(process.env.BENCH_IFRAME_TRAITS ? (['sandbox', 'allow', 'referrerpolicy', 'fragment'] as const).map((only) => ({ id: `penpal+${only}`, run: () => measure(penpalAsWidget, frameUrl('penpal'), 0, false, only) })) : []),
  ];
  const samples = new Map<string, Sample[]>(runners.map((r) => [r.id, []]));
  const WARM = 3;
  for (let round = 0; round < WARM + N.rounds; round++) {
    // A rotating order, so no contender always runs first (or right after the same one).
    const order = runners.map((_, i) => runners[(i + round) % runners.length]!);
    const got = new Map<string, Sample>();
    for (const r of order) got.set(r.id, await r.run(N.relaysPerRound));
    if (round >= WARM) for (const [id, s] of got) samples.get(id)!.push(s);
  }
  const of = (id: string) => samples.get(id)!;
  const ratios = (id: string, base: string) => of(id).map((s, i) => s.ready / of(base)[i]!.ready);
  const relayP50 = (id: string) => median(of(id).flatMap((s) => s.relay));
  const label = (id: ContenderId) => CONTENDERS.find((c) => c.id === id)!.label;

  // The rows of before: the widget against the same frame page loaded as a bare iframe (same script, not connecting).
  const overhead = median(of('widget').map((s, i) => s.ready - of(WIDGET_FRAME_BARE)[i]!.ready));
  rows.push({ metric: `protocol overhead (connected -> liqx-ready minus bare iframe load), median of ${N.rounds}`, value: round(overhead), unit: 'ms', goal: '<= 5 ms', pass: overhead <= 5 });
  const widgetRelay = await widgetRelayRun(pages.widget, frameUrl('widget'), N.relay);
  rows.push({ metric: `relay latency frame emit -> host callback (upper bound, host clock), p50 of ${N.relay}`, value: round(quantile(widgetRelay, 0.5)), unit: 'ms', goal: '<= 0.5 ms', pass: quantile(widgetRelay, 0.5) <= 0.5 });
  rows.push({ metric: `relay latency frame emit -> host callback (upper bound, host clock), p99 of ${N.relay}`, value: round(quantile(widgetRelay, 0.99)), unit: 'ms', goal: '(reported)', pass: null });

  // The peers.
  rows.push({ metric: `time to ready, ${label('bare')}, median of ${N.rounds} rounds`, value: round(median(of('bare').map((s) => s.ready))), unit: 'ms', goal: '(reported)', pass: null });
  for (const c of CONTENDERS.filter((c) => c.id !== 'bare')) {
    const floor = median(ratios(c.id, 'bare'));
    rows.push({ metric: `time to ready, ${c.label}, x bare floor, median of ${N.rounds} rounds`, value: round(floor), unit: 'x', goal: '(reported)', pass: null });
    if (c.id === 'penpal') continue;
    const penpal = median(ratios(c.id, 'penpal'));
    const isWidget = c.id === 'widget';
    rows.push({ metric: `time to ready, ${c.label}, x penpal raw, median of ${N.rounds} rounds`, value: round(penpal), unit: 'x', goal: isWidget ? '<= 1.00x' : '(reported)', pass: isWidget ? penpal <= 1 : null });
  }
  for (const c of CONTENDERS.filter((c) => c.id !== 'bare')) {
    const over = relayP50(c.id) - relayP50('bare');
    rows.push({ metric: `relay over the floor, ${c.label}, p50 of ${N.rounds * N.relaysPerRound}`, value: round(over), unit: 'ms', goal: '(reported)', pass: null });
  }

  const ms = (v: number) => `${round(v, 2)} ms`;
  notes.push(
    `time to ready, medians (${N.rounds} rounds + ${WARM} warm-up, rotating order): ` +
      runners.map((r) => `${r.id} ${ms(median(of(r.id).map((s) => s.ready)))}`).join(', ') +
      `; relay p50: ${CONTENDERS.map((c) => `${c.id} ${ms(relayP50(c.id))}`).join(', ')}`,
  );
  notes.push(
    `the widget's frame page as a bare iframe (its script loads, then one raw postMessage) x bare floor ${round(median(ratios(WIDGET_FRAME_BARE, 'bare')), 3)}, ` +
      `x penpal raw ${round(median(ratios(WIDGET_FRAME_BARE, 'penpal')), 3)}: the frame side's own script, before any protocol`,
  );
  notes.push(
    'time to ready, split (medians): mount -> the frame\'s script runs (frame stamp, shared clock) / -> the host receives the frame\'s first message / -> ready: ' +
      runners.map((r) => `${r.id} ${ms(median(of(r.id).map((s) => s.scriptRan)))} / ${ms(median(of(r.id).map((s) => s.firstMessage)))} / ${ms(median(of(r.id).map((s) => s.ready)))}`).join(', '),
  );
  notes.push(
    "frame navigation (the frame's Navigation Timing, medians): mount -> navigation start / request sent / response start / response end: " +
      runners.map((r) => `${r.id} ${[0, 1, 2, 3].map((k) => ms(median(of(r.id).map((s) => s.nav[k] ?? NaN)))).join(' / ')}`).join(', '),
  );
  notes.push(
    `penpal raw with the widget's iframe (sandbox, allow, referrerpolicy, #fragment): x penpal raw ${round(median(ratios(PENPAL_AS_WIDGET, 'penpal')), 3)}; ` +
      `widget x that ${round(median(ratios('widget', PENPAL_AS_WIDGET)), 3)}`,
  );
  if (baselineFile) notes.push(`time to ready, the widget x the baseline build (${baselineFile}), median of per-round ratios: ${round(median(ratios('widget', WIDGET_BASELINE)), 3)}`);
  for (const p of [...Object.values(pages), penpalAsWidget, ...(baselinePage ? [baselinePage] : [])]) await p.close();
}

/**
 * The widget's relay latency rows, as before: one widget, `count` events one at a time, each timed on the host's
 * clock from the raw trigger to `onPayoutSubmitted`. That interval contains the emit -> callback hop plus one plain
 * postMessage host -> frame, so it is an upper bound of the relay latency.
 */
async function widgetRelayRun(page: Page, url: string, count: number): Promise<number[]> {
  const warm = 20;
  const sample = await measure(page, url, count + warm);
  return sample.relay.slice(warm);
}

/** Cold evaluation of each script, interleaved (bench/cold-eval.ts: fresh about:blank realm, inline script with a unique comment). */
async function evaluation(browser: Browser, N: PeerBenchSizes, origin: string, hostScripts: Record<ContenderId, string>, rows: Report['rows'], notes: string[]): Promise<void> {
  const sources: Record<string, string> = {};
  for (const c of CONTENDERS) sources[c.id] = c.id === 'widget' ? readFileSync(BUNDLE, 'utf8') : hostScripts[c.id];
  if (baselineFile) sources[WIDGET_BASELINE] = readFileSync(baselineFile, 'utf8');
  // The widget's file in parts, bundled the same way (esbuild, minified IIFE): where its evaluation time goes.
  const profile: Record<string, string> = {
    'the protocol and session schemas with their builders (src/protocol/schemas.ts, session.ts, wire-schema.ts)': "import * as p from './src/protocol/schemas.ts'; import * as s from './src/protocol/session.ts'; (globalThis as any).__keep = [p, s];",
    "Lit ReactiveElement + the element's styles + define": "import { ReactiveElement } from '@lit/reactive-element'; import { styles } from './src/element/payout-widget.styles.ts'; import { overlayStyles } from './src/element/overlay-controller.styles.ts'; class E extends ReactiveElement { static styles = [styles, overlayStyles]; } customElements.define('bench-e', E);",
    'Lit ReactiveElement alone + define': "import { ReactiveElement } from '@lit/reactive-element'; class E extends ReactiveElement {} customElements.define('bench-e', E);",
    'the channel (src/element/host-channel.ts, src/protocol/port-channel.ts)': "import { HostChannel } from './src/element/host-channel.ts'; (globalThis as any).__keep = HostChannel;",
    'the element module without define (src/element/payout-widget.ts)': "import { LiqxPayoutWidget } from './src/element/payout-widget.ts'; (globalThis as any).__keep = LiqxPayoutWidget;",
  };
  for (const [name, contents] of Object.entries(profile)) sources[`profile: ${name}`] = await bundle({ contents, format: 'iife' });
  sources['profile: dependency floor (bench/dependency-floor.ts)'] = await bundle({ entry: 'bench/dependency-floor.ts', format: 'iife' });

  const page = await browser.newPage();
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  await page.goto(`${origin}/eval.html`);
  const times = await coldEvaluations(page, sources, N.evals);
  await page.close();
  const p50 = (id: string) => median(times.get(id)!);
  const penpal = p50('penpal');
  for (const c of CONTENDERS) {
    const v = p50(c.id);
    const isWidget = c.id === 'widget';
    rows.push({
      metric: `host script cold evaluation, ${c.label}, p50 of ${N.evals}`,
      value: round(v),
      unit: 'ms',
      goal: isWidget ? '<= 2.5 ms' : '(reported)',
      pass: isWidget ? v <= 2.5 : null,
    });
  }
  notes.push(`cold evaluation of the widget, x penpal raw: ${round(p50('widget') / penpal, 2)}`);
  if (baselineFile) notes.push(`cold evaluation p50, the baseline build (${baselineFile}): ${round(p50(WIDGET_BASELINE))} ms`);
  notes.push(`cold evaluation profile (p50 of ${N.evals}, same run): ${Object.keys(profile).map((name) => `${name} ${round(p50(`profile: ${name}`), 2)} ms`).join('; ')}`);
}
