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
  const executablePath = findChromium();
  assert.ok(executablePath, 'No Chromium found (set CHROME_PATH)');
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
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

export async function waitForFlow(page: Page, state: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`crm-app[data-flow-state="${state}"]`, { state: 'attached', timeout });
}

/** Resolves once every document of the page (the page and the widget frame load their own fonts) has its fonts. */
export async function fontsLoaded(page: Page): Promise<void> {
  await Promise.all(page.frames().map((frame) => frame.evaluate(async () => void (await document.fonts.ready))));
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
export function compareWithBaseline(name: string, png: Buffer, { update = UPDATE_BASELINES, probe = false } = {}): DiffResult {
  const baselinePath = join(BASELINE_DIR, `${name}.png`);
  if (update && !probe) {
    mkdirSync(BASELINE_DIR, { recursive: true });
    writeFileSync(baselinePath, png);
    return { updated: true, diffPercent: 0, passed: true, message: `baseline written: ${baselinePath}` };
  }
  if (!existsSync(baselinePath)) return { updated: false, diffPercent: 100, passed: false, message: `no baseline ${baselinePath}: run npm run test:visual:update` };
  const base = PNG.sync.read(readFileSync(baselinePath));
  const shot = PNG.sync.read(png);
  const label = probe ? `probe-${name}` : name;
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
