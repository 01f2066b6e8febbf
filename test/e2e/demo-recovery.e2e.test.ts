/**
 * Recovery in the simulator's Advanced diagnostics, end to end in Chromium through the running demo (nothing
 * stubbed): the partner endpoint refuses every delivery of a PARTNER_ENDPOINT_FLAKY payout past LIQX's last retry;
 * the Recovery section shows the refused attempts, Reconcile stores the missed receipt once (the page's flow then
 * observes it), Redeliver is acknowledged as a duplicate, and a second Reconcile counts it as a duplicate.
 * The section is closed by default, so the page's visual baselines are unchanged, and it adds no <summary> that
 * the page's tests would find beside the diagnostics panel's own. Its screenshot goes to
 * scratch/e2e-screenshots/diagnostics-recovery.png (E2E_SCREENSHOT_DIR to move it).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/server/main.js';
import { ROOT, axeViolations, fontsLoaded, formatViolations, launchChromium, textInSystemFonts, waitForFlow } from './quality-harness.js';

const SHOT_DIR = resolve(ROOT, process.env.E2E_SCREENSHOT_DIR ?? 'scratch/e2e-screenshots');
const STEP_TIMEOUT = 20_000;

let demo: RunningDemo;
let browser: Browser;
let workDir: string;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'liqx-recovery-e2e-'));
  const distDir = join(workDir, 'dist');
  const viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, `vite build failed:\n${res.stdout}\n${res.stderr}`);
  // The flaky endpoint refuses more deliveries than LIQX makes (two): the event is missed for good.
  demo = await startDemo({ port: 0, liqxPort: 0, dataDir: join(workDir, 'data'), distDir, webhookRetryBaseMs: 20, webhookMaxAttempts: 2, flakyFailures: 100, confirmDelayMs: 150 });
  browser = await launchChromium();
  mkdirSync(SHOT_DIR, { recursive: true });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('Recovery: the missed delivery in the log, Reconcile stores it once, Redeliver is a duplicate', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  try {
    await page.goto(`${demo.partnerUrl}/`);
    await page.waitForSelector('crm-app[data-flow-state="idle"]', { state: 'attached', timeout: STEP_TIMEOUT });
    await page.waitForSelector('#f-scenario option[value="PARTNER_ENDPOINT_FLAKY"]', { state: 'attached', timeout: STEP_TIMEOUT });

    // Closed by default: opening Advanced diagnostics shows only the section's heading.
    await page.locator('#diagnostics > summary').click();
    const recovery = page.getByTestId('recovery');
    await recovery.waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await recovery.getByTestId('recovery-toggle').getAttribute('aria-expanded'), 'false', 'Recovery starts closed');
    assert.equal(await recovery.getByTestId('reconcile').isVisible(), false);

    await page.selectOption('#f-scenario', 'PARTNER_ENDPOINT_FLAKY');
    await page.getByRole('button', { name: 'Create PAYOUT reservation' }).click();
    await page.waitForSelector('liqx-payout-widget[state="ready"]', { state: 'attached', timeout: STEP_TIMEOUT });
    await page.frameLocator('liqx-payout-widget iframe').locator('#confirm-button').click();

    await recovery.getByTestId('recovery-toggle').click();
    // Both scheduled attempts refused (503) and none scheduled after: Refresh until the log says so.
    const refused = recovery.getByTestId('recovery-attempt').filter({ hasText: 'HTTP 503' });
    const deadline = Date.now() + STEP_TIMEOUT;
    while ((await refused.count()) < 2 || (await recovery.getByTestId('recovery-attempt').last().locator('td').last().textContent()) !== '—') {
      if (Date.now() > deadline) throw new Error(`two refused attempts in the Recovery log within ${STEP_TIMEOUT} ms: ${await recovery.textContent()}`);
      await recovery.getByTestId('recovery-refresh').click();
      await page.waitForTimeout(100);
    }
    assert.equal(await recovery.getByTestId('recovery-event').count(), 1);
    const eventId = await recovery.getByTestId('recovery-event').getAttribute('data-event-id');
    assert.match(eventId ?? '', /^msg_/);

    await recovery.getByTestId('reconcile').click();
    await recovery.getByTestId('reconcile-result').waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await recovery.getByTestId('reconcile-inserted').textContent(), '1');
    assert.equal(await recovery.getByTestId('reconcile-duplicates').textContent(), '0');
    assert.equal(await recovery.getByTestId('reconcile-failed').textContent(), '0');
    // The receipt the endpoint never stored is now in the store: the page's own poller observes it.
    await waitForFlow(page, 'webhook_observed', STEP_TIMEOUT);

    await recovery.getByTestId('redeliver').click();
    await recovery.getByTestId('redeliver-result').filter({ hasText: 'HTTP 200' }).waitFor({ timeout: STEP_TIMEOUT });
    await recovery.getByTestId('recovery-attempt').filter({ hasText: 'redeliver' }).waitFor({ timeout: STEP_TIMEOUT });

    await recovery.getByTestId('reconcile').click();
    await recovery.getByTestId('reconcile-duplicates').filter({ hasText: '1' }).waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await recovery.getByTestId('reconcile-inserted').textContent(), '0');

    // One receipt for the intent, whatever was redelivered or reconciled.
    const receipts = (await (await fetch(`${demo.partnerUrl}/api/webhooks/liqx/events?limit=100`)).json()) as { rows: { webhook_id: string }[] };
    assert.deepEqual(receipts.rows.map((r) => r.webhook_id), [eventId]);

    await fontsLoaded(page);
    assert.deepEqual(await textInSystemFonts(page), [], 'text drawn with system fonts with Recovery open');
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations with Recovery open:\n${formatViolations(violations)}`);
    await page.locator('crm-recovery-panel').screenshot({ path: resolve(SHOT_DIR, 'diagnostics-recovery.png'), animations: 'disabled', caret: 'hide' });
    assert.equal(await page.locator('details#diagnostics summary').count(), 1, 'one <summary> in the diagnostics panel, its own');
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});
