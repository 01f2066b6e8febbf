/**
 * The demo page's key states through the running demo (idle, widget open, webhook observed, preflight error):
 * visual regression against committed baselines (screenshots/demo/baseline/, pixel diff with the element's
 * threshold) and axe-core with zero violations, the cross-origin widget frame included.
 *
 * Run-to-run changes are frozen or masked: reduced motion and `animations: 'disabled'`, UTC and en-US, and a mask
 * over every value that differs per run (ids, timestamps, relative times, the frame's countdown).
 * `npm run test:visual:update` rewrites the baselines.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { axeViolations, compareWithBaseline, fontsLoaded, formatViolations, openSimulator, startHarness, waitForFlow, type Harness } from './quality-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

/** Everything that differs from run to run, on the page and in the widget frame. */
function masks(page: Page) {
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

async function screenshot(page: Page): Promise<Buffer> {
  await fontsLoaded(page);
  return page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide', mask: masks(page), maskColor: '#ff00ff' });
}

async function check(page: Page, name: string): Promise<void> {
  const result = compareWithBaseline(name, await screenshot(page));
  console.log(`# ${result.message}`);
  assert.ok(result.passed, result.message);
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `axe violations in "${name}":\n${formatViolations(violations)}`);
}

async function create(page: Page, scenario: string): Promise<void> {
  await page.selectOption('#f-scenario', scenario);
  await page.getByRole('button', { name: 'Create PAYOUT reservation' }).click();
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
    await create(page, 'VERIFIED');
    await page.waitForSelector('liqx-payout-widget[state="ready"]', { state: 'attached', timeout: 20_000 });
    const confirm = page.frameLocator('liqx-payout-widget iframe').locator('#confirm-button');
    await confirm.waitFor({ state: 'visible' });
    await waitForFlow(page, 'created_or_terminal');
    await check(page, 'widget-open');

    await confirm.click();
    await waitForFlow(page, 'webhook_observed');
    await page.getByTestId('receipt-type').waitFor();
    await check(page, 'webhook-observed');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('preflight error (KYC_NOT_VERIFIED)', async () => {
    const { page, pageErrors } = await openSimulator(h);
    await create(page, 'KYC_NOT_VERIFIED');
    await page.getByTestId('upstream-error-code').waitFor();
    await waitForFlow(page, 'error');
    await page.getByTestId('receipt-type').waitFor({ timeout: 20_000 });
    await check(page, 'preflight-error');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('the threshold catches a background colour change on the idle page', async () => {
    const { page } = await openSimulator(h);
    // The page background token, #f4f6fa -> #eef2f7 (a slightly darker grey; pixelmatch's 0.02 would still miss
    // it). Through the CSSOM, which the page's CSP allows.
    await page.evaluate(() => document.documentElement.style.setProperty('--bg', '#eef2f7'));
    const result = compareWithBaseline('idle', await screenshot(page), { probe: true });
    console.log(`# probe: ${result.message}`);
    if (!result.updated) assert.equal(result.passed, false, 'a changed background must fail the comparison');
    await page.close();
  });
});
