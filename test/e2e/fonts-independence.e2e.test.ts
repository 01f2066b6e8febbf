/**
 * The screenshot comparisons do not depend on the machine's fonts: the same comparisons run under two different
 * "system font" set-ups, each a private fontconfig (scripts/lib/fontconfig.ts) handed to the browser as
 * FONTCONFIG_FILE:
 *   - sans:  only DejaVu Sans and DejaVu Sans Mono (what this image has: `monospace` is DejaVu Sans Mono);
 *   - serif: only DejaVu Serif (every generic family, `monospace` included, becomes a serif face).
 * Under each, on Chromium: every gallery tile and the demo's idle, widget-open and preflight-error pages against
 * their committed baselines, and no text drawn in a system font (Chromium reports the fonts it used); then both
 * set-ups must give the same results and the same pixels; then the element's baselines (test/browser/visual.test.ts)
 * through the browser suite's own runner, once per set-up. Text that slips back to a system font draws differently
 * under the two set-ups, so one of these fails.
 *
 * FONTS_ENGINES=chromium,firefox,webkit runs the element's baselines on more engines (each uses fontconfig on
 * Linux); `npm test` runs Chromium only, to keep this file near a minute.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { Browser } from 'playwright-core';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import {
  ROOT, assertTilesInState, compareWithBaseline, createPayout, demoScreenshot, framesSettled, launchChromium, openGallery, openSimulator, openWidget, startHarness,
  textInSystemFonts, waitForFlow, type Harness,
} from './quality-harness.js';
import { LOCALES, STATES, THEMES, tileId } from '../../demo/gallery/states.js';
import { createFontSetup, hasFontconfig, systemFontFiles, type FontSetup } from '../../scripts/lib/fontconfig.js';

const SETUPS = [
  { tag: 'fonts-sans', label: 'DejaVu Sans and DejaVu Sans Mono only', families: ['DejaVu Sans', 'DejaVu Sans Mono'], monospace: 'DejaVu Sans Mono' },
  { tag: 'fonts-serif', label: 'DejaVu Serif only', families: ['DejaVu Serif'], monospace: 'DejaVu Serif' },
] as const;

/** Pixels two set-ups' shots of one state may differ by without a font being involved (anti-aliasing of a spinner). */
const MAX_NOISE_PIXELS = 16;

const ENGINES = (process.env.FONTS_ENGINES ?? 'chromium').split(',').filter(Boolean);

/** Why this machine cannot vary the browser's fonts (then every test here is skipped with that reason), or null. */
function unavailable(): string | null {
  if (process.platform !== 'linux') return 'FONTCONFIG_FILE chooses a browser\'s system fonts on Linux only';
  if (!hasFontconfig()) return 'fontconfig\'s tools (fc-list, fc-match) are missing';
  const missing = SETUPS.flatMap((s) => s.families).filter((f) => !systemFontFiles(f).length);
  return missing.length ? `font families missing on this machine: ${missing.join(', ')}` : null;
}
const skip = unavailable() ?? false;

interface Shot {
  png: Buffer;
  passed: boolean;
  message: string;
}
/** Per set-up tag: screenshot name -> the shot and its comparison with the committed baseline. */
const shots = new Map<string, Map<string, Shot>>();
/** Per set-up tag: text drawn with a system font (Chromium's report), checked after every screenshot is taken. */
const systemFonts = new Map<string, string[]>();
/** The screenshots each set-up takes: every gallery tile, and the demo's idle, widget-open and preflight-error. */
const SHOT_COUNT = STATES.length * LOCALES.length * THEMES.length + 3;
const setups = new Map<string, FontSetup>();
let h: Harness | undefined;

before(async () => {
  if (skip) return;
  for (const s of SETUPS) setups.set(s.tag, createFontSetup(s.label, [...s.families]));
  h = await startHarness();
});
after(async () => {
  await h?.close();
  for (const s of setups.values()) s.close();
});

/** Compares with the committed baseline (never writes one, even while baselines are being refreshed) and keeps the shot. */
function record(tag: string, name: string, png: Buffer): void {
  const result = compareWithBaseline(name, png, { update: false, tag });
  shots.get(tag)!.set(name, { png, passed: result.passed, message: result.message });
}

async function noSystemFonts(page: Parameters<typeof textInSystemFonts>[0], tag: string, where: string): Promise<void> {
  systemFonts.get(tag)!.push(...(await textInSystemFonts(page)).map((line) => `${where}: ${line}`));
}

async function gallery(browser: Browser, tag: string): Promise<void> {
  const { page, pageErrors } = await openGallery(browser, h!.demo.partnerUrl);
  await assertTilesInState(page);
  await framesSettled(page);
  await noSystemFonts(page, tag, 'gallery');
  for (const state of STATES) {
    for (const locale of LOCALES) {
      for (const theme of THEMES) {
        const id = tileId(state.id, locale, theme);
        record(tag, `gallery-${id}`, await page.locator(`#tile-${id} liqx-payout-widget`).screenshot({ animations: 'disabled', caret: 'hide' }));
      }
    }
  }
  assert.deepEqual(pageErrors, []);
  await page.close();
}

async function demo(browser: Browser, tag: string): Promise<void> {
  const idle = await openSimulator({ ...h!, browser });
  await noSystemFonts(idle.page, tag, 'idle');
  record(tag, 'idle', await demoScreenshot(idle.page));
  // Advanced diagnostics: the request contract preview is JSON in the mono stack with a Korean legal name in it.
  await idle.page.locator('#diagnostics > summary').click();
  await idle.page.getByTestId('contract-preview').filter({ hasText: '홍길동' }).waitFor({ timeout: 10_000 });
  await noSystemFonts(idle.page, tag, 'diagnostics open');
  assert.deepEqual(idle.pageErrors, []);
  await idle.page.close();

  const open = await openSimulator({ ...h!, browser });
  await openWidget(open.page);
  await noSystemFonts(open.page, tag, 'widget-open');
  record(tag, 'widget-open', await demoScreenshot(open.page));
  assert.deepEqual(open.pageErrors, []);
  await open.page.close();

  const failed = await openSimulator({ ...h!, browser });
  await createPayout(failed.page, 'KYC_NOT_VERIFIED');
  await failed.page.getByTestId('upstream-error-code').waitFor();
  await waitForFlow(failed.page, 'error');
  await failed.page.getByTestId('receipt-type').waitFor({ timeout: 20_000 });
  await noSystemFonts(failed.page, tag, 'preflight-error');
  record(tag, 'preflight-error', await demoScreenshot(failed.page));
  assert.deepEqual(failed.pageErrors, []);
  await failed.page.close();
}

describe('screenshots do not depend on the system fonts', { concurrency: false, skip }, () => {
  test('the two set-ups really differ: fontconfig offers other families and another monospace', () => {
    for (const s of SETUPS) {
      const setup = setups.get(s.tag)!;
      assert.deepEqual(setup.families(), [...s.families].sort(), `${s.label}: fc-list`);
      assert.equal(setup.match('monospace'), s.monospace, `${s.label}: fc-match monospace`);
    }
  });

  for (const s of SETUPS) {
    test(`${s.label}: gallery tiles and demo pages match their baselines, no text in a system font (Chromium)`, async () => {
      shots.set(s.tag, new Map());
      systemFonts.set(s.tag, []);
      const browser = await launchChromium(setups.get(s.tag)!.env());
      try {
        await gallery(browser, s.tag);
        await demo(browser, s.tag);
      } finally {
        await browser.close();
      }
      const failures = [...shots.get(s.tag)!.values()].filter((r) => !r.passed).map((r) => r.message);
      const fonts = systemFonts.get(s.tag)!;
      assert.deepEqual([...failures, ...fonts], [], `${s.label}:\n${failures.join('\n')}\ntext drawn with system fonts:\n${fonts.join('\n')}`);
    });
  }

  test('both set-ups: the same comparison results and the same pixels', () => {
    const [a, b] = SETUPS.map((s) => shots.get(s.tag));
    assert.ok(a && b, 'both set-ups took their screenshots');
    assert.equal(a.size, SHOT_COUNT, `${SETUPS[0].label}: screenshots taken`);
    assert.deepEqual([...a.keys()], [...b.keys()]);
    const differ: string[] = [];
    for (const [name, shotA] of a) {
      const shotB: Shot = b.get(name)!;
      assert.equal(shotA.passed, shotB.passed, `${name}: ${shotA.message} / ${shotB.message}`);
      const [imgA, imgB] = [PNG.sync.read(shotA.png), PNG.sync.read(shotB.png)];
      if (imgA.width !== imgB.width || imgA.height !== imgB.height) {
        differ.push(`${name}: ${imgA.width}x${imgA.height} vs ${imgB.width}x${imgB.height}`);
        continue;
      }
      // Same browser, same machine, same served fonts: text left to the system fonts changes many pixels here (a
      // 15-character code line in DejaVu Sans Mono vs DejaVu Serif: hundreds). A spinner's edge may differ by a few.
      const pixels = pixelmatch(imgA.data, imgB.data, null, imgA.width, imgA.height, { threshold: 0.01 });
      if (pixels > MAX_NOISE_PIXELS) differ.push(`${name}: ${pixels} pixels differ between ${SETUPS[0].label} and ${SETUPS[1].label}`);
    }
    assert.deepEqual(differ, [], differ.join('\n'));
  });

  for (const s of SETUPS) {
    test(`${s.label}: the element's baselines (test/browser/visual.test.ts) on ${ENGINES.join(', ')}`, () => {
      const args = ['scripts/test-browser.mjs', ...ENGINES.flatMap((e) => ['--engine', e]), '--files', 'test/browser/visual.test.ts'];
      const res = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: setups.get(s.tag)!.env(), timeout: 600_000 });
      const out = `${res.stdout}\n${res.stderr}`;
      assert.equal(res.status, 0, `${s.label}: node ${args.join(' ')} exited with ${res.status}:\n${out.slice(-4000)}`);
      // The runner's closing summary: one "ok" line per engine, nothing skipped.
      for (const engine of ENGINES) {
        const label = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' }[engine] ?? engine;
        assert.match(out, new RegExp(`ok {3}${label} +\\d+ passed, +0 failed, +0 skipped`), `${s.label}: summary for ${label}:\n${out.slice(-2000)}`);
      }
    });
  }
});

