/**
 * The demo page's key states through the running demo (idle, widget open, webhook observed, preflight error):
 * visual regression against committed baselines (screenshots/demo/baseline/, pixel diff with the element's
 * threshold) and axe-core with zero violations, the cross-origin widget frame included.
 *
 * Run-to-run changes are frozen or masked: reduced motion and `animations: 'disabled'`, UTC and en-US, and a mask
 * over every value that differs per run (ids, timestamps, relative times, the frame's countdown).
 * `npm run test:visual:update` rewrites the baselines. Every state also checks that no text is drawn with a system
 * font (the baselines must hold on any machine), and so does Advanced diagnostics' request contract preview, whose
 * screenshot goes to scratch/e2e-screenshots (docs/screenshots with E2E_SCREENSHOT_DIR=docs/screenshots).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  ROOT, axeViolations, compareWithBaseline, createPayout, demoScreenshot, fontsLoaded, formatViolations, openSimulator, openWidget, startHarness, textInSystemFonts, waitForFlow, type Harness,
} from './quality-harness.js';

/** Where the diagnostics screenshot goes; `E2E_SCREENSHOT_DIR=docs/screenshots` refreshes the checked-in one. */
const SHOT_DIR = resolve(ROOT, process.env.E2E_SCREENSHOT_DIR ?? 'scratch/e2e-screenshots');

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

async function check(page: Page, name: string): Promise<void> {
  const result = compareWithBaseline(name, await demoScreenshot(page));
  console.log(`# ${result.message}`);
  assert.ok(result.passed, result.message);
  // Every text on the page and in the widget frame in a font the demo serves (the baselines hold on any machine).
  const systemFonts = await textInSystemFonts(page);
  assert.deepEqual(systemFonts, [], `text drawn with system fonts in "${name}":\n${systemFonts.join('\n')}`);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe violations in "${name}":\n${formatViolations(violations)}`);
}

describe('demo page: visual regression and axe in the key states', { concurrency: false }, () => {
  test('idle', async () => {
    const { page, pageErrors } = await openSimulator(h);
    await check(page, 'idle');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('widget open, then webhook observed (VERIFIED)', async () => {
    const { page, pageErrors } = await openSimulator(h);
    await openWidget(page);
    await check(page, 'widget-open');
    // The frame's first paint has its own fonts: both preloaded by its HTML (fetched by the <link>, not found later
    // in the stylesheet), no other font file fetched, and `font-display: block` (no fallback font shown, then swapped).
    const frame = page.frames().find((f) => new URL(f.url()).pathname.startsWith('/widget/'));
    assert.ok(frame, 'the widget frame');
    const fonts = await frame.evaluate(() => ({
      fetched: performance.getEntriesByType('resource').filter((e) => /\.woff2$/.test(new URL(e.name).pathname)).map((e) => `${new URL(e.name).pathname.split('/').pop()!.replace(/-[\w-]{8}\.woff2$/, '.woff2')} by ${(e as PerformanceResourceTiming).initiatorType}`).sort(),
      faces: [...document.fonts].map((f) => `${f.family.replace(/"/g, '')} ${f.status} ${f.display}`).sort(),
    }));
    assert.deepEqual(fonts, {
      fetched: ['PretendardVariable.woff2 by link', 'jetbrains-mono-latin-wght-normal.woff2 by link'],
      faces: ['JetBrains Mono Variable loaded block', 'Pretendard Variable loaded block'],
    });

    await page.frameLocator('liqx-payout-widget iframe').locator('#confirm-button').click();
    await waitForFlow(page, 'webhook_observed');
    await page.getByTestId('receipt-type').waitFor();
    await check(page, 'webhook-observed');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('preflight error (KYC_NOT_VERIFIED)', async () => {
    const { page, pageErrors } = await openSimulator(h);
    await createPayout(page, 'KYC_NOT_VERIFIED');
    await page.getByTestId('upstream-error-code').waitFor();
    await waitForFlow(page, 'error');
    await page.getByTestId('receipt-type').waitFor({ timeout: 20_000 });
    await check(page, 'preflight-error');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('advanced diagnostics: the request contract preview draws its Korean legal name in a served font', async () => {
    const { page, pageErrors } = await openSimulator(h);
    await page.locator('#diagnostics > summary').click();
    const preview = page.getByTestId('contract-preview');
    // JSON in the mono stack: JetBrains Mono has no Hangul, so 홍길동 must come from the served Pretendard (on a
    // machine with no CJK font a system fallback would be empty boxes).
    await preview.filter({ hasText: '"legal_name": "홍길동"' }).waitFor({ timeout: 10_000 });
    await fontsLoaded(page);
    const systemFonts = await textInSystemFonts(page);
    assert.deepEqual(systemFonts, [], `text drawn with system fonts with diagnostics open:\n${systemFonts.join('\n')}`);
    mkdirSync(SHOT_DIR, { recursive: true });
    await page.locator('section[aria-labelledby="diag-contract-title"]').screenshot({ path: resolve(SHOT_DIR, 'diagnostics-contract-preview.png'), animations: 'disabled', caret: 'hide' });
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('the threshold catches a background colour change on the idle page', async () => {
    const { page } = await openSimulator(h);
    // The page background token, #f4f6fa -> #eef2f7 (a slightly darker grey; pixelmatch's 0.02 would still miss
    // it). Through the CSSOM, which the page's CSP allows.
    await page.evaluate(() => document.documentElement.style.setProperty('--bg', '#eef2f7'));
    const result = compareWithBaseline('idle', await demoScreenshot(page), { probe: true });
    console.log(`# probe: ${result.message}`);
    if (!result.updated) assert.equal(result.passed, false, 'a changed background must fail the comparison');
    await page.close();
  });
});
