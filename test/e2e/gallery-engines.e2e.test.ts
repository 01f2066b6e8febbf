/**
 * The widget gallery on three engines: Chromium (playwright-core), Firefox ESR (puppeteer-core over WebDriver BiDi)
 * and WebKitGTK's MiniBrowser (WebKitWebDriver, WebDriver classic, under its own Xvfb). On each:
 *   - every tile (every payout screen of the mock LIQX's own page × ko/en × light/dark/auto, and the host's errors)
 *     reaches its state, and its screenshot matches the engine's baseline in screenshots/gallery/<engine>/<tile>.png
 *     (UPDATE_VISUAL_BASELINE=1 rewrites them; a tile in the wrong state is never compared or written);
 *   - a colour typed into the gallery's appearance panel reaches a live payout page's confirm button (its pixels in
 *     the tile's screenshot), without a reconnect: the page does not say ready again, and the tile keeps its frame.
 * Every engine's tile shots are cut out of viewport screenshots (./window-crop.ts), and a shot that is largely pure
 * black (a capture the driver could not read) is refused: never compared, never written as a baseline.
 *
 * GALLERY_ENGINES picks engines (default chromium,firefox,webkit); an engine missing on the machine is skipped with
 * the reason. Timings are printed as `# ...` lines, not asserted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import puppeteer, { type Browser as PuppeteerBrowser, type Page as PuppeteerPage } from 'puppeteer-core';
import type { Page } from 'playwright-core';
import { GALLERY_TILE_COUNT, UPDATE_BASELINES, compareWithBaseline, openGallery, startHarness, type Harness } from './quality-harness.js';
import { LOCALES, STATES, THEMES, tileId } from '../../demo/gallery/states.js';
import { cropToRect, fitsViewport, rectsExpression, refuseBlackCapture, scrollToMiddleExpression, type ViewportRect } from './window-crop.js';
// @ts-expect-error: plain ESM helper without type declarations
import { ensureEngine, findWebKit } from '../../scripts/find-engines.mjs';

const ENGINES = (process.env.GALLERY_ENGINES ?? 'chromium,firefox,webkit').split(',').filter(Boolean);
const SETTLE_TIMEOUT = 240_000;
/**
 * WebKitGTK's single web process takes minutes to load the hundred payout pages at once, and starves some tiles'
 * handshakes: it gets the gallery this many state rows (six tiles each) per page load, each load with its own bound.
 */
const WEBKIT_ROWS_PER_PAGE = 1;
const ROWS_SETTLE_TIMEOUT = 90_000;
const STEP_TIMEOUT = 30_000;
/** The colour typed into the appearance panel, and the pixel it must turn into on the confirm button. */
const ACCENT = '#0f766e';
const ACCENT_RGB = [0x0f, 0x76, 0x6e] as const;

const since = (t0: number) => `${Math.round(performance.now() - t0)} ms`;

/**
 * What the test needs of a browser: open a page, evaluate an expression, screenshot the viewport, grow the viewport.
 * Element screenshots are cut out of viewport screenshots on every engine (`shots()`): WebKitGTK's WebDriver element
 * screenshots come out partly or wholly black under Xvfb, its window screenshots do not.
 */
interface Driver {
  open(url: string): Promise<void>;
  /** Evaluates a JavaScript expression in the page; its value must be JSON. */
  eval<T>(expression: string, options?: { poll?: boolean }): Promise<T>;
  /** A PNG of the viewport as it is drawn now. */
  viewportShot(): Promise<Buffer>;
  /** Makes the viewport at least `width` x `height` CSS pixels (a tile taller than the window). */
  growViewport(width: number, height: number): Promise<void>;
  close(): Promise<void>;
}

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

async function chromium(): Promise<Driver> {
  let page: Page | null = null;
  return {
    // The same page the Chromium baselines of test/e2e/fonts-independence.e2e.test.ts are taken on.
    async open(url) {
      page = (await openGallery(h.browser, h.demo.partnerUrl, new URL(url).hash)).page;
    },
    eval: (expression) => page!.evaluate(expression),
    viewportShot: () => page!.screenshot({ animations: 'disabled', caret: 'hide' }),
    async growViewport(width, height) {
      const size = page!.viewportSize()!;
      await page!.setViewportSize({ width: Math.max(size.width, width), height: Math.max(size.height, height) });
    },
    close: async () => void (await page?.close()),
  };
}

async function firefox(): Promise<Driver | string> {
  const executablePath = ensureEngine('firefox') as string | null;
  if (!executablePath) return 'no Firefox on this machine (scripts/find-engines.mjs)';
  const browser: PuppeteerBrowser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true, protocolTimeout: 120_000 });
  let page: PuppeteerPage | null = null;
  return {
    async open(url) {
      page = await browser.newPage();
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(url, { timeout: STEP_TIMEOUT, waitUntil: 'domcontentloaded' });
    },
    eval: (expression) => page!.evaluate(expression) as never,
    viewportShot: async () => Buffer.from(await page!.screenshot()),
    async growViewport(width, height) {
      const size = page!.viewport()!;
      await page!.setViewport({ width: Math.max(size.width, width), height: Math.max(size.height, height) });
    },
    close: () => browser.close(),
  };
}

async function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

async function webkit(): Promise<Driver | string> {
  ensureEngine('webkit');
  const found = findWebKit() as { driver: string; xvfb: string } | null;
  if (!found) return 'no WebKitWebDriver or Xvfb on this machine (scripts/find-engines.mjs)';
  const children: ChildProcess[] = [];
  const xvfb = spawn(found.xvfb, ['-displayfd', '3', '-screen', '0', XVFB_SCREEN, '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  children.push(xvfb);
  let out = '';
  (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (c) => (out += c));
  const display = `:${(await until('the Xvfb display', async () => (out.includes('\n') ? out.trim() : undefined), 20_000))}`;
  const port = await freePort();
  children.push(spawn(found.driver, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } }));
  const driverUrl = `http://127.0.0.1:${port}`;
  await until('WebKitWebDriver /status', () => fetch(`${driverUrl}/status`).then((r) => (r.ok ? true : undefined), () => undefined), 20_000);
  let sessionUrl = '';
  const wd = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, timeout = 60_000): Promise<any> => {
    // Every command has a bound: a page busy loading can keep WebKitWebDriver from answering at all.
    const res = await fetch(`${path.startsWith('http') ? '' : sessionUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeout) });
    const json = (await res.json()) as { value: any };
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  };
  const session = await wd('POST', `${driverUrl}/session`, { capabilities: { alwaysMatch: { browserName: 'MiniBrowser', pageLoadStrategy: 'eager' } } });
  sessionUrl = `${driverUrl}/session/${session.sessionId}`;
  await wd('POST', '/window/rect', { width: 1280, height: 900 });
  return {
    open: (url) => wd('POST', '/url', { url }),
    // A poll is asked again (until()): while a row page's frames load, WebKitWebDriver sometimes never answers a
    // script at all, and a short bound gets the next poll through instead of waiting out the full minute.
    eval: (expression, options) => wd('POST', '/execute/sync', { script: `return (${expression});`, args: [] }, options?.poll ? 10_000 : 60_000),
    viewportShot: async () => Buffer.from((await wd('GET', '/screenshot')) as string, 'base64'),
    async growViewport(width, height) {
      // The window's rect is its outer size: grow it by what the viewport lacks.
      const inner = await wd('POST', '/execute/sync', { script: 'return [innerWidth, innerHeight];', args: [] }) as [number, number];
      const outer = await wd('GET', '/window/rect') as { width: number; height: number };
      await wd('POST', '/window/rect', { width: outer.width + Math.max(0, width - inner[0]), height: outer.height + Math.max(0, height - inner[1]) });
    },
    async close() {
      await wd('DELETE', '').catch(() => undefined);
      for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

/** Polls `probe` until it gives a value (every wait here has a condition and a bound). */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeout = STEP_TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface TileInfo {
  id: string;
  driven: string;
  state: string;
  expect: string;
  ready: string;
  event: string;
}

const TILES = `[...document.querySelectorAll('.tile')].map((t) => ({ id: t.dataset.tile, driven: t.dataset.driven, state: t.querySelector('liqx-payout-widget')?.state, ready: t.dataset.readyCount, event: t.querySelector('.tile-event')?.textContent ?? '' }))`;

/** The share of a PNG's pixels that are exactly `rgb` (give or take 2 per channel for rounding). */
async function pixelsOf(png: Buffer, rgb: readonly [number, number, number]): Promise<number> {
  const { PNG } = await import('pngjs');
  const img = PNG.sync.read(png);
  let hits = 0;
  for (let i = 0; i < img.data.length; i += 4) {
    if (Math.abs(img.data[i]! - rgb[0]) <= 2 && Math.abs(img.data[i + 1]! - rgb[1]) <= 2 && Math.abs(img.data[i + 2]! - rgb[2]) <= 2) hits++;
  }
  return hits / (img.width * img.height);
}

/**
 * The elements `selectors` as drawn, cut out of as few viewport screenshots as it takes: every element wholly in the
 * viewport comes out of one screenshot; then the first one left is scrolled to the middle (the viewport grown if it
 * is taller) for the next. A shot that is largely pure black (a broken capture) is refused with an error.
 */
async function shots(d: Driver, selectors: readonly string[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  let left = [...selectors];
  while (left.length) {
    let rects = await d.eval<(ViewportRect | null)[]>(rectsExpression(left));
    const missing = left.filter((_, i) => !rects[i] || rects[i]!.width === 0);
    assert.deepEqual(missing, [], `no element drawn for ${missing.join(', ')}`);
    if (!fitsViewport(rects[0]!)) {
      const first = rects[0]!;
      if (first.height + 2 > first.innerHeight || first.width + 2 > first.innerWidth) await d.growViewport(Math.ceil(first.width) + 16, Math.ceil(first.height) + 16);
      await d.eval(scrollToMiddleExpression(left[0]!));
      await painted(d);
      rects = await d.eval<(ViewportRect | null)[]>(rectsExpression(left));
      assert.ok(fitsViewport(rects[0]!), `${left[0]}: ${JSON.stringify(rects[0])} does not fit the viewport even after growing it`);
    }
    const viewport = await d.viewportShot();
    const taken = left.filter((css, i) => {
      if (!fitsViewport(rects[i]!)) return false;
      const png = cropToRect(viewport, rects[i]!);
      refuseBlackCapture(css, png);
      out.set(css, png);
      return true;
    });
    left = left.filter((css) => !taken.includes(css));
  }
  return out;
}

/** The tallest viewport fitTiles() asks for (WebKit's window lives on an Xvfb screen of XVFB_SCREEN). */
const MAX_VIEWPORT_HEIGHT = 2400;
const XVFB_SCREEN = '1600x2600x24';

/**
 * Grows the viewport down to the bottom of every element of `selectors` (up to MAX_VIEWPORT_HEIGHT), the page left
 * at the top where it loaded, so one viewport screenshot holds them all without scrolling: WebKitGTK's window
 * screenshot can show the page from before a scroll the page already reports. Smaller than the whole page, whose
 * sticky side panel grows with the viewport.
 */
async function fitTiles(d: Driver, selectors: readonly string[]): Promise<void> {
  const span = await d.eval<{ bottom: number; right: number; scrolled: number }>(`(() => {
    const rects = ${JSON.stringify(selectors)}.map((css) => document.querySelector(css).getBoundingClientRect());
    return { bottom: Math.max(...rects.map((r) => r.bottom)) + scrollY, right: Math.max(...rects.map((r) => r.right)) + scrollX, scrolled: scrollY };
  })()`);
  assert.equal(span.scrolled, 0, 'the page is at its top');
  await d.growViewport(Math.ceil(span.right) + 16, Math.min(Math.ceil(span.bottom) + 16, MAX_VIEWPORT_HEIGHT));
  await painted(d);
}

/** Resolves after the page has drawn two more frames (a scroll or resize reaches the screen before a screenshot). */
const painted = (d: Driver) => d.eval<boolean>(`new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(true))))`);

/** One element's shot (see shots()). */
const shot = async (d: Driver, css: string): Promise<Buffer> => (await shots(d, [css])).get(css)!;

/** Screenshots `css` until two shots in a row are the same (bounded), starting from `first`. */
async function stableShot(d: Driver, css: string, first: Buffer): Promise<Buffer> {
  let previous = first;
  for (let i = 0; i < 8; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const next = await shot(d, css);
    if (next.equals(previous)) return next;
    previous = next;
  }
  throw new Error(`${css}: no two screenshots in a row were the same`);
}

/** The gallery state a tile id (`<state>-<locale>-<theme>`) shows. */
function stateOf(id: string) {
  const state = STATES.find((s) => LOCALES.some((l) => THEMES.some((t) => tileId(s.id, l, t) === id)));
  assert.ok(state, `tile ${id} of no known state`);
  return state;
}

/** `list` cut into runs of `size`. */
function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * Opens the gallery with the tiles of `rows` (every row: the whole gallery, as the other tests open it), waits until
 * each is driven, and fails unless each is in its state: a tile in the wrong state is never compared or written.
 */
async function load(d: Driver, engine: string, rows: readonly (typeof STATES)[number][]): Promise<void> {
  const t0 = performance.now();
  const whole = rows.length === STATES.length;
  const count = rows.length * LOCALES.length * THEMES.length;
  await d.open(`${h.demo.partnerUrl}/gallery.html${whole ? '' : `?rows=${rows.map((r) => r.id).join(',')}`}`);
  let last: TileInfo[] = [];
  const tiles = await until(
    `${count} tiles driven`,
    async () => {
      last = await d.eval<TileInfo[]>(TILES, { poll: true });
      return last.length === count && last.every((x) => x.driven !== 'pending') ? last : undefined;
    },
    whole ? SETTLE_TIMEOUT : ROWS_SETTLE_TIMEOUT,
  ).catch((error: Error) => {
    const pending = last.filter((x) => x.driven === 'pending').map((x) => `${x.id}: state ${x.state} (${x.event})`);
    throw new Error(`${error.message}; ${last.length} tiles, pending:\n${pending.join('\n')}`);
  });
  console.log(`# gallery ${engine}: ${tiles.length} tiles (${whole ? 'every row' : rows.map((r) => r.id).join(', ')}) driven in ${since(t0)}`);
  const wrong = tiles
    .filter((x) => x.driven !== 'done' || x.state !== stateOf(x.id).expect)
    .map((x) => `${x.id}: driven ${x.driven}, state ${x.state} (${x.event})`);
  assert.deepEqual(wrong, [], `tiles not in their state:\n${wrong.join('\n')}`);
  // The element's own spinner (the loading tiles) stands still and its loading indicator shows at once, as
  // Chromium's screenshots make every animation.
  await d.eval(`(() => { const s = new CSSStyleSheet(); s.replaceSync("liqx-payout-widget::part(spinner), liqx-payout-widget::part(loading) { animation: none; }"); document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; return true; })()`);
}

const LAUNCH: Record<string, () => Promise<Driver | string>> = { chromium, firefox, webkit };

for (const engine of ENGINES) {
  describe(`widget gallery on ${engine}`, { concurrency: false }, () => {
    let driver: Driver | null = null;
    let skipped = '';
    before(async () => {
      const launched = await LAUNCH[engine]!();
      if (typeof launched === 'string') skipped = launched;
      else driver = launched;
    });
    after(async () => {
      await driver?.close();
    });

    test('every payout screen and host error in ko/en × light/dark/auto matches its baseline', async (t) => {
      if (skipped) return t.skip(skipped);
      const d = driver!;
      const t0 = performance.now();
      const failures: string[] = [];
      let shooting = 0;
      // WebKit loads the gallery a few rows per page (each page load waits for its own tiles); the others load it whole.
      const pages = engine === 'webkit' ? chunks(STATES, WEBKIT_ROWS_PER_PAGE) : [STATES];
      for (const rows of pages) {
        await load(d, engine, rows);
        const t1 = performance.now();
        // Every tile where the page lays it out (the same place on every run): a page of a few rows fits the
        // viewport, so one screenshot holds all its tiles; the whole gallery takes one per screenful.
        const ids = rows.flatMap((state) => LOCALES.flatMap((locale) => THEMES.map((theme) => tileId(state.id, locale, theme))));
        const css = (id: string) => `#tile-${id} liqx-payout-widget`;
        if (rows.length !== STATES.length) await fitTiles(d, ids.map(css));
        try {
          const first = await shots(d, ids.map(css));
          // A shot that differs (or one about to become a baseline) is taken again until two in a row are the same:
          // the payout page's last height report may still be on its way on a busy machine.
          const again = ids.filter((id) => UPDATE_BASELINES || !compareWithBaseline(`gallery-${id}`, first.get(css(id))!, { engine, update: false, probe: true }).passed);
          if (again.length) await new Promise((r) => setTimeout(r, 300));
          const second = again.length ? await shots(d, again.map(css)) : new Map<string, Buffer>();
          for (const id of ids) {
            try {
              let png = first.get(css(id))!;
              if (again.includes(id)) {
                const next = second.get(css(id))!;
                png = next.equals(png) ? next : await stableShot(d, css(id), next);
              }
              const result = compareWithBaseline(`gallery-${id}`, png, { engine, update: again.includes(id) ? UPDATE_BASELINES : false });
              if (!result.passed) failures.push(result.message);
            } catch (error) {
              // A refused (black) capture or a tile that would not stay still: reported with the others.
              failures.push(`${id}: ${(error as Error).message}`);
            }
          }
        } catch (error) {
          // A refused (black) capture stops this page's shots: none of its tiles is compared or written.
          failures.push(`${rows.map((r) => r.id).join(', ')}: ${(error as Error).message}`);
        }
        shooting += performance.now() - t1;
      }
      console.log(`# gallery ${engine}: ${GALLERY_TILE_COUNT} tiles driven and compared in ${since(t0)} (${Math.round(shooting)} ms of it screenshots, ${pages.length} page load(s))`);
      assert.deepEqual(failures, [], failures.join('\n'));
    });

    test("a colour in the appearance panel reaches a live payout page's confirm button, without a reconnect", async (t) => {
      if (skipped) return t.skip(skipped);
      const d = driver!;
      const tile = '#tile-ready-en-light liqx-payout-widget';
      // WebKit's page holds the last rows the first test loaded: it opens the ready row (the others have every row).
      if (engine === 'webkit') await load(d, engine, STATES.filter((s) => s.id === 'ready'));
      await d.eval(`(() => { location.hash = '#locale=en&theme=light&state=ready'; return true; })()`);
      await until('the filter showing the ready tile', () => d.eval<boolean>(`!document.getElementById('tile-ready-en-light').closest('.state-row').hidden || undefined`));
      assert.ok((await pixelsOf(await shot(d, tile), ACCENT_RGB)) === 0, 'the default screen has no pixel of the test colour');
      // Each tile's frame is tagged, so a reconnect (a new iframe) would show.
      await d.eval(`[...document.querySelectorAll('.tile liqx-payout-widget')].forEach((el) => { if (el.frame) el.frame.dataset.before = 'yes'; })`);
      await d.eval(`(() => { const input = document.getElementById('appearance-accent'); input.value = '${ACCENT}'; input.dispatchEvent(new Event('input', { bubbles: true })); return true; })()`);
      const share = await until('the accent colour on the confirm button', async () => {
        const s = await pixelsOf(await shot(d, tile), ACCENT_RGB);
        return s > 0.01 ? s : undefined;
      });
      console.log(`# gallery ${engine}: ${(share * 100).toFixed(1)} % of the ready tile in ${ACCENT}`);
      const after = await d.eval<TileInfo[]>(TILES);
      const frames = await d.eval<Record<string, string | null>>(
        `Object.fromEntries([...document.querySelectorAll('.tile')].map((t) => [t.dataset.tile, t.querySelector('liqx-payout-widget')?.frame?.dataset.before ?? null]))`,
      );
      for (const x of after) {
        const state = stateOf(x.id);
        assert.equal(x.state, state.expect, `${x.id} kept its state`);
        if (state.expect !== 'error' && state.expect !== 'loading') {
          assert.equal(x.ready, '1', `${x.id}: the payout page said ready once (no reconnect)`);
          assert.equal(frames[x.id], 'yes', `${x.id} kept its frame`);
        }
      }
      assert.equal(await d.eval(`document.getElementById('appearance-note').dataset.refused ?? 'no'`), 'no');
    });
  });
}
