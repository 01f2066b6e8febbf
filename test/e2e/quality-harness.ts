/**
 * Shared set-up of the quality e2e tests (visual regression, axe, keyboard-only payout) through the running demo:
 * the demo pages built into a private directory, both demo servers on loopback, headless Chromium
 * (playwright-core), axe-core injected into the page and into the cross-origin widget frame, and a PNG pixel diff.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { LOCALES, STATES, THEMES } from '../../demo/gallery/states.js';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { startDemo, type RunningDemo } from '../../demo/server/main.js';
// @ts-expect-error: plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

export const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

export interface Harness {
  demo: RunningDemo;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the demo pages (fresh, private directory), starts both servers and Chromium. */
export async function startHarness(options: { expiresTtlMs?: number } = {}): Promise<Harness> {
  const workDir = mkdtempSync(join(tmpdir(), 'liqx-quality-'));
  const distDir = join(workDir, 'dist');
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(res.status, 0, `vite build failed:\n${res.stdout}\n${res.stderr}`);
  const demo = await startDemo({
    port: 0,
    liqxPort: 0,
    dataDir: join(workDir, 'data'),
    distDir,
    webhookRetryBaseMs: 20,
    confirmDelayMs: 150,
    expiresTtlMs: options.expiresTtlMs ?? 60_000,
  });
  const browser = await launchChromium();
  return {
    demo,
    browser,
    async close() {
      await browser.close();
      await demo.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

/** Headless Chromium (playwright-core); `env` is its whole environment (FONTCONFIG_FILE picks its system fonts). */
export async function launchChromium(env?: NodeJS.ProcessEnv): Promise<Browser> {
  const executablePath = findChromium();
  assert.ok(executablePath, 'No Chromium found (set CHROME_PATH)');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, ...(env ? { env } : {}) });
}

export interface Opened {
  page: Page;
  pageErrors: string[];
}

/** Opens the Partner CRM simulator: fixed viewport, reduced motion, ready for input. */
export async function openSimulator(h: Harness): Promise<Opened> {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('close', () => void context.close().catch(() => {}));
  await page.goto(`${h.demo.partnerUrl}/`);
  await page.waitForSelector('#f-scenario option[value="VERIFIED"]', { state: 'attached' });
  await page.waitForSelector('crm-app[data-flow-state="idle"]', { state: 'attached' });
  return { page, pageErrors };
}

/** Everything on the simulator that differs from run to run, on the page and in the widget frame. */
export function demoMasks(page: Page) {
  const frame = page.frameLocator('liqx-payout-widget iframe');
  return [
    // Clock times, intent / session / webhook ids, generated external_ref, server timestamps.
    page.locator('time, .step-line, [data-testid="response-proof"] dd, [data-testid="webhook-proof"] dd'),
    page.locator('[data-testid="webhook-proof"] code, [data-testid="request-summary"] code, crm-webhook-proof p.empty code, crm-webhook-proof p.note, crm-response-proof dd code, .callout code'),
    page.locator('li.log-entry'),
    // In the widget frame: the countdown, the reference, the session label, the transaction id.
    frame.locator('time, #timer-value, #external-ref, #session-label, #result-fact-value'),
  ];
}

/** A full-page screenshot of the simulator with its fonts loaded, motion frozen and per-run values masked. */
export async function demoScreenshot(page: Page): Promise<Buffer> {
  await fontsLoaded(page);
  return page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide', mask: demoMasks(page), maskColor: '#ff00ff' });
}

/** Picks a scenario and creates the reservation (the simulator's main button). */
export async function createPayout(page: Page, scenario: string): Promise<void> {
  await page.selectOption('#f-scenario', scenario);
  await page.getByRole('button', { name: 'Create PAYOUT reservation' }).click();
}

/** The simulator with the widget open and ready (VERIFIED), the state the `widget-open` baseline shows. */
export async function openWidget(page: Page): Promise<void> {
  await createPayout(page, 'VERIFIED');
  await page.waitForSelector('liqx-payout-widget[state="ready"]', { state: 'attached', timeout: 20_000 });
  await page.frameLocator('liqx-payout-widget iframe').locator('#confirm-button').waitFor({ state: 'visible' });
  await waitForFlow(page, 'created_or_terminal');
}

export async function waitForFlow(page: Page, state: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`crm-app[data-flow-state="${state}"]`, { state: 'attached', timeout });
}

/** Resolves once every document of the page (the page and the widget frame load their own fonts) has its fonts. */
export async function fontsLoaded(page: Page): Promise<void> {
  await Promise.all(page.frames().map((frame) => frame.evaluate(async () => void (await document.fonts.ready))));
}

// ---------------------------------------------------------------------------------------------------------------
// The widget gallery

export const GALLERY_TILE_COUNT = STATES.length * LOCALES.length * THEMES.length;

/** Opens the gallery and waits until every tile has reached its state (or failed, which the tests report). */
export async function openGallery(browser: Browser, partnerUrl: string, fragment = '', { clipboard = false } = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
  if (clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: partnerUrl });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('close', () => void context.close().catch(() => {}));
  // Not the load event: that waits for every tile's frame; the tiles' own attributes say when they are done.
  await page.goto(`${partnerUrl}/gallery.html${fragment}`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('html[data-gallery-ready="true"]', { state: 'attached', timeout: 30_000 });
  await page.waitForFunction(
    (count) => {
      const tiles = [...document.querySelectorAll('.tile')];
      return tiles.length === count && tiles.every((t) => t.getAttribute('data-driven') !== 'pending');
    },
    GALLERY_TILE_COUNT,
    { timeout: 240_000 },
  );
  return { page, pageErrors };
}

/**
 * Fails unless every tile was driven to the state it shows (a busy machine can time a tile's handshake out): a
 * screenshot of a tile in the wrong state must never be compared, let alone written as its baseline.
 */
export async function assertTilesInState(page: Page): Promise<void> {
  const tiles = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.tile')].map((t) => ({
      id: t.dataset.tile!,
      stateId: t.dataset.stateId!,
      driven: t.dataset.driven,
      state: (t.querySelector('liqx-payout-widget') as (HTMLElement & { state: string }) | null)?.state,
      event: t.querySelector('.tile-event')?.textContent ?? '',
    })),
  );
  const wrong = tiles
    .filter((t) => t.driven !== 'done' || t.state !== STATES.find((s) => s.id === t.stateId)?.expect)
    .map((t) => `${t.id}: driven ${t.driven}, state ${t.state} (${t.event})`);
  assert.deepEqual(wrong, [], `gallery tiles not in their state:\n${wrong.join('\n')}`);
}

/**
 * Resolves once every widget's iframe has the height its fake frame measured (fonts loaded, body measured): the
 * frame reports its height over the channel, so wait for the host to have applied it, not for a message order.
 */
export async function framesSettled(page: Page): Promise<void> {
  await fontsLoaded(page);
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll('liqx-payout-widget')].every((el) => {
        const frame = (el as HTMLElement & { frame: HTMLIFrameElement | null }).frame;
        const body = frame?.contentDocument?.body;
        if (!frame || !body || el.getAttribute('state') === 'loading') return true;
        return frame.style.height === `${Math.ceil(body.getBoundingClientRect().height)}px`;
      }),
    null,
    { timeout: 30_000 },
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Which fonts drew the text (Chromium's DevTools protocol: Firefox and WebKit do not report the fonts they used)

interface CdpNode {
  nodeId: number;
  nodeType: number;
  nodeName: string;
  nodeValue: string;
  attributes?: string[];
  children?: CdpNode[];
  shadowRoots?: CdpNode[];
  contentDocument?: CdpNode;
}

/**
 * Every run of visible text on the page, in its shadow roots and in all its frames (cross-origin ones through
 * their own DevTools session), that Chromium drew with a font the page did not load itself (a system font, or
 * the last-resort font behind empty boxes). One line per element: its tag, id/class, the text and the font.
 */
export async function textInSystemFonts(page: Page): Promise<string[]> {
  const sessions = [await page.context().newCDPSession(page)];
  for (const frame of page.frames()) {
    if (frame === page.mainFrame()) continue;
    // Only out-of-process frames have a session of their own; the others are in their parent's document tree.
    const own = await page.context().newCDPSession(frame).catch(() => null);
    if (own) sessions.push(own);
  }
  const problems: string[] = [];
  for (const cdp of sessions) {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = (await cdp.send('DOM.getDocument', { depth: -1, pierce: true })) as unknown as { root: CdpNode };
    const withText: { node: CdpNode; text: string }[] = [];
    const walk = (node: CdpNode) => {
      const text = (node.children ?? []).filter((c) => c.nodeType === 3).map((c) => c.nodeValue).join('').trim();
      if (node.nodeType === 1 && text && !/^(SCRIPT|STYLE|TITLE|NOSCRIPT|TEMPLATE)$/.test(node.nodeName)) withText.push({ node, text });
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? []), ...(node.contentDocument ? [node.contentDocument] : [])]) walk(child);
    };
    walk(root);
    for (const { node, text } of withText) {
      const { fonts } = (await cdp.send('CSS.getPlatformFontsForNode', { nodeId: node.nodeId })) as { fonts: { familyName: string; isCustomFont: boolean; glyphCount: number }[] };
      const system = fonts.filter((f) => !f.isCustomFont);
      if (!system.length) continue;
      const attrs = Object.fromEntries((node.attributes ?? []).flatMap((v, i, a) => (i % 2 ? [] : [[v, a[i + 1]]])));
      const where = `${node.nodeName.toLowerCase()}${attrs.id ? `#${attrs.id}` : ''}${attrs.class ? `.${attrs.class.split(/\s+/).join('.')}` : ''}`;
      problems.push(`${where} "${text.slice(0, 40)}": ${system.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`).join(', ')}`);
    }
    await cdp.detach();
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------
// axe-core

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; html: string; failureSummary?: string }[];
}

/**
 * Runs axe-core on the page with axe injected into every frame too (the widget frame is cross-origin: axe's
 * frame messaging then covers it), WCAG 2.x A/AA and best-practice rules. Injection goes through the DevTools
 * protocol, so the page's strict CSP stays on.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  for (const frame of page.frames()) await frame.evaluate(AXE_SOURCE).catch(() => {});
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 200), failureSummary: n.failureSummary })) }));
  });
}

export function formatViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `  ${JSON.stringify(n.target)} ${n.html}`).join('\n')}`).join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Visual regression

export const UPDATE_BASELINES = process.env.UPDATE_VISUAL_BASELINE === '1' || process.argv.includes('--update-visual-baseline');
const BASELINE_DIR = join(ROOT, 'screenshots', 'demo', 'baseline');
const FAILED_DIR = join(ROOT, 'screenshots', 'demo', 'failed');
/** The gallery's baselines, one folder per engine (chromium, firefox, webkit). */
export const GALLERY_BASELINE_DIR = join(ROOT, 'screenshots', 'gallery');
/** The same settings as the element's screenshots (test/plugins/quality-plugin.mjs). */
const COLOR_THRESHOLD = 0.01;
const MAX_DIFF_PERCENT = 0.5;

export interface DiffResult {
  updated: boolean;
  diffPercent: number;
  passed: boolean;
  message: string;
}

/** Compares a PNG with screenshots/demo/baseline/<name>.png, or writes the baseline when updating. */
export function compareWithBaseline(name: string, png: Buffer, { update = UPDATE_BASELINES, probe = false, tag = '', engine = 'chromium' } = {}): DiffResult {
  // The gallery's tiles keep their baselines per engine in the gallery's folder (test/e2e/gallery-engines.e2e.test.ts).
  const baselinePath = name.startsWith('gallery-') ? join(GALLERY_BASELINE_DIR, engine, `${name.slice('gallery-'.length)}.png`) : join(BASELINE_DIR, `${name}.png`);
  if (update && !probe) {
    mkdirSync(dirname(baselinePath), { recursive: true });
    writeFileSync(baselinePath, png);
    return { updated: true, diffPercent: 0, passed: true, message: `baseline written: ${baselinePath}` };
  }
  if (!existsSync(baselinePath)) return { updated: false, diffPercent: 100, passed: false, message: `no baseline ${baselinePath}: run npm run test:visual:update` };
  const base = PNG.sync.read(readFileSync(baselinePath));
  const shot = PNG.sync.read(png);
  // A failed shot is saved as <tag>-<name>.png: a probe, or a run under another font set-up, never overwrites another's.
  const label = `${probe ? 'probe-' : ''}${tag ? `${tag}-` : ''}${engine === 'chromium' ? '' : `${engine}-`}${name}`;
  if (base.width !== shot.width || base.height !== shot.height) {
    mkdirSync(FAILED_DIR, { recursive: true });
    writeFileSync(join(FAILED_DIR, `${label}.png`), png);
    return { updated: false, diffPercent: 100, passed: false, message: `size ${shot.width}x${shot.height} differs from the baseline's ${base.width}x${base.height}` };
  }
  const diff = new PNG({ width: base.width, height: base.height });
  const pixels = pixelmatch(base.data, shot.data, diff.data, base.width, base.height, { threshold: COLOR_THRESHOLD });
  const diffPercent = (pixels / (base.width * base.height)) * 100;
  const passed = diffPercent <= MAX_DIFF_PERCENT;
  if (!passed) {
    mkdirSync(FAILED_DIR, { recursive: true });
    writeFileSync(join(FAILED_DIR, `${label}.png`), png);
    writeFileSync(join(FAILED_DIR, `${label}-diff.png`), PNG.sync.write(diff));
  }
  return { updated: false, diffPercent, passed, message: `${name}: ${diffPercent.toFixed(3)} % of pixels differ (allowed ${MAX_DIFF_PERCENT} %)` };
}
