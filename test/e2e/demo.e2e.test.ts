/**
 * End to end through the running demo: the Partner CRM simulator page on one loopback origin, the mock LIQX
 * (API, widget frame, webhook dispatcher) on another, the partner proxy storing receipts in SQLite. Chromium is
 * driven by playwright-core; nothing is stubbed: the page talks HTTP to the proxy, the proxy to mock LIQX, and
 * LIQX posts signed webhooks back.
 *
 * Timings are printed as `# ...` lines; they are reported, not asserted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/server/main.js';
import { fontsLoaded } from './quality-harness.js';
// @ts-expect-error: plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
/** Where the screenshots go; `E2E_SCREENSHOT_DIR=docs/screenshots` refreshes the checked-in ones. */
const SHOT_DIR = resolve(ROOT, process.env.E2E_SCREENSHOT_DIR ?? 'scratch/e2e-screenshots');
const EXPIRES_TTL_MS = 5000;
const STEP_TIMEOUT = 20_000;

let demo: RunningDemo;
let browser: Browser;
let workDir: string;

const since = (t0: number) => `${Math.round(performance.now() - t0)} ms`;

/**
 * Builds both demo pages into a private directory: always fresh for this source tree, and no race with
 * `npm run demo` or another test rebuilding demo/dist at the same time.
 */
function buildDemo(outDir: string): void {
  const require = createRequire(import.meta.url);
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const t0 = performance.now();
  const res = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--outDir', outDir, '--emptyOutDir'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(res.status, 0, `vite build failed:\n${res.stdout}\n${res.stderr}`);
  console.log(`# e2e: vite build of the demo pages ${since(t0)}`);
}

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'liqx-e2e-'));
  const distDir = join(workDir, 'dist');
  buildDemo(distDir);
  demo = await startDemo({
    port: 0,
    liqxPort: 0,
    dataDir: join(workDir, 'data'),
    distDir,
    webhookRetryBaseMs: 20,
    expiresTtlMs: EXPIRES_TTL_MS,
    confirmDelayMs: 150,
  });
  const executablePath = findChromium();
  assert.ok(executablePath, 'No Chromium found (set CHROME_PATH)');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  mkdirSync(SHOT_DIR, { recursive: true });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  /** Console lines about CSP violations, from the page or the widget frame. */
  cspViolations: string[];
  pageErrors: string[];
}

async function openSimulator(): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${demo.partnerUrl}/`);
  // Scenarios come from GET /api/config; the form is usable once they are there.
  await page.waitForSelector('#f-scenario option[value="VERIFIED"]', { state: 'attached' });
  await page.waitForSelector('crm-app[data-flow-state="idle"]', { state: 'attached' });
  return { page, cspViolations, pageErrors };
}

async function create(page: Page, scenario: string): Promise<void> {
  await page.selectOption('#f-scenario', scenario);
  await page.getByRole('button', { name: 'Create PAYOUT reservation' }).click();
}

async function openDiagnostics(page: Page): Promise<void> {
  const details = page.locator('details#diagnostics');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

async function waitForFlow(page: Page, state: string): Promise<void> {
  await page.waitForSelector(`crm-app[data-flow-state="${state}"]`, { state: 'attached', timeout: STEP_TIMEOUT });
  // The diagnostics state machine highlights the same state.
  const current = await page.locator('li.flow-state[aria-current="step"]').getAttribute('data-state');
  assert.equal(current, state);
}

async function intentId(page: Page): Promise<string> {
  const locator = page.getByTestId('intent-id');
  await locator.waitFor({ timeout: STEP_TIMEOUT });
  const id = (await locator.textContent())?.trim() ?? '';
  assert.ok(id, 'the response proof names the intent');
  return id;
}

/** The receipt row of this run in the diagnostics table (visible: the details are open). */
async function receiptRow(page: Page, eventType: string) {
  const row = page.locator(`table[data-testid="receipt-rows"] tr[data-current="true"][data-event-type="${eventType}"]`);
  await row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  return row;
}

function assertClean(opened: Opened): void {
  assert.deepEqual(opened.cspViolations, [], 'no CSP violations on the page or in the widget frame');
  assert.deepEqual(opened.pageErrors, [], 'no uncaught page errors');
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true });
}

/** The widget frame alone (`widget-frame-<name>.png`), once the page's and the frame's fonts have loaded. */
async function frameShot(page: Page, name: string): Promise<void> {
  await fontsLoaded(page);
  await page.locator('liqx-payout-widget iframe').screenshot({ path: join(SHOT_DIR, `widget-frame-${name}.png`), animations: 'disabled' });
}

describe('Partner CRM simulator, end to end', { concurrency: false }, () => {
  test('idle page: every panel is there, amounts formatted, nothing sent', async () => {
    const opened = await openSimulator();
    const { page } = opened;
    await page.getByRole('heading', { level: 1, name: 'PAYOUT intent proof' }).waitFor();
    for (const name of ['Request contract', 'Request summary', 'Response proof', 'Webhook proof summary', 'PAYOUT widget']) {
      await page.getByRole('heading', { level: 2, name }).waitFor();
    }
    const steps = await page.locator('.stepper .step-title').allTextContents();
    assert.deepEqual(steps.map((s) => s.replace(/\s*\(.*\)$/, '').trim()), ['Request sent', 'API accepted', 'Widget session', 'Webhook delivered']);
    assert.equal(await page.getByTestId('summary-krw').textContent(), '₩100,000');
    assert.equal(await page.getByTestId('summary-usdt').textContent(), '75.000000 USDT');
    assert.match((await page.getByTestId('request-summary').textContent()) ?? '', /홍길동/);
    assert.equal(await page.getByTestId('webhook-badge').textContent(), 'not observed yet');
    await openDiagnostics(page);
    const preview = JSON.parse((await page.getByTestId('contract-preview').textContent()) ?? '{}');
    assert.deepEqual(preview, {
      scenario: 'VERIFIED', legal_name: '홍길동', user_email: 'jane@example.com', return_url: 'https://demo.dev.liqx.io/payouts/demo',
      amount_krw: '100000', amount_usdt: '75.000000',
    });
    // The preview follows the form as it is edited.
    await page.fill('#f-amount_krw', '250000');
    assert.equal(JSON.parse((await page.getByTestId('contract-preview').textContent()) ?? '{}').amount_krw, '250000');
    assert.equal(await page.getByTestId('summary-krw').textContent(), '₩250,000');
    await page.fill('#f-amount_krw', '100000');
    assert.match((await page.locator('.hint', { hasText: 'Bounded durable read' }).textContent()) ?? '', /limit=20/);
    // The self-hosted font (it covers Hangul) loads under the page's CSP: 홍길동 renders on a machine with no Korean font.
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, ''));
    });
    assert.ok(fonts.includes('Pretendard Variable'), `loaded fonts: ${fonts.join(', ')}`);
    await page.locator('details#diagnostics summary').click();
    await shot(page, 'idle');
    assertClean(opened);
    await page.close();
  });

  test('VERIFIED: widget ready in the cross-origin frame, Confirm, webhook_observed with transaction.completed (phase PAYOUT)', async () => {
    const opened = await openSimulator();
    const { page } = opened;
    const t0 = performance.now();
    await create(page, 'VERIFIED');
    const id = await intentId(page);
    await waitForFlow(page, 'created_or_terminal');
    const frame = page.frameLocator('liqx-payout-widget iframe');
    const confirm = frame.locator('#confirm-button');
    await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await page.waitForSelector('liqx-payout-widget[state="ready"]', { state: 'attached', timeout: STEP_TIMEOUT });
    const tReady = since(t0);
    // The frame really is on the other origin, and shows the amounts of this intent.
    const frameUrl = await page.locator('liqx-payout-widget iframe').getAttribute('src');
    assert.equal(new URL(frameUrl!).origin, demo.liqxUrl);
    assert.notEqual(demo.liqxUrl, demo.partnerUrl);
    assert.match((await frame.getByTestId('amount-krw').textContent()) ?? '', /100,000/);
    await page.locator('liqx-payout-widget').scrollIntoViewIfNeeded();
    await shot(page, 'widget-open');

    const t1 = performance.now();
    await confirm.click();
    await page.locator('li.log-entry[data-type="PAYOUT_COMPLETED"]', { hasText: 'onPayoutCompleted' }).waitFor({ timeout: STEP_TIMEOUT });
    const tCompleted = since(t1);
    await waitForFlow(page, 'webhook_observed');
    const tObserved = since(t1);

    assert.equal(await page.getByTestId('receipt-type').textContent(), 'transaction.completed');
    await openDiagnostics(page);
    const row = await receiptRow(page, 'transaction.completed');
    assert.equal(await row.getAttribute('data-intent-id'), id);
    assert.match((await row.textContent()) ?? '', /PAYOUT/);
    assert.equal(await page.locator('table[data-testid="receipt-rows"] tr[data-current="true"]').count(), 1, 'exactly one receipt for the intent');
    assert.equal(await page.locator('.step[data-status="done"]').count(), 4, 'all four proof steps done');
    console.log(`# e2e VERIFIED: create -> widget ready ${tReady}; Confirm -> PAYOUT_COMPLETED ${tCompleted}; Confirm -> webhook_observed ${tObserved}; total ${since(t0)}`);
    await shot(page, 'webhook-observed');
    assertClean(opened);
    await page.close();
  });

  test('USER_DECLINES: onPayoutRejected in the event log and a transaction.failed receipt', async () => {
    const opened = await openSimulator();
    const { page } = opened;
    const t0 = performance.now();
    await create(page, 'USER_DECLINES');
    const id = await intentId(page);
    const frame = page.frameLocator('liqx-payout-widget iframe');
    await frame.locator('#decline-button').click({ timeout: STEP_TIMEOUT });
    await frame.locator('#decline-submit').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await frameShot(page, 'decline-en');
    await frame.locator('#decline-submit').click({ timeout: STEP_TIMEOUT });
    const entry = page.locator('li.log-entry[data-type="PAYOUT_REJECTED"]');
    await entry.waitFor({ timeout: STEP_TIMEOUT });
    await frame.locator('#result-title').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await frameShot(page, 'rejected-en');
    assert.match((await entry.textContent()) ?? '', /onPayoutRejected[\s\S]*USER_DECLINED/);
    const tRejected = since(t0);
    await waitForFlow(page, 'webhook_observed');
    await openDiagnostics(page);
    const row = await receiptRow(page, 'transaction.failed');
    assert.equal(await row.getAttribute('data-intent-id'), id);
    assert.equal(await page.getByTestId('receipt-type').textContent(), 'transaction.failed');
    console.log(`# e2e USER_DECLINES: create -> onPayoutRejected ${tRejected}; -> transaction.failed observed ${since(t0)}`);
    assertClean(opened);
    await page.close();
  });

  test('KYC_NOT_VERIFIED: upstream error in the widget panel, flow error, transaction.failed receipt', async () => {
    const opened = await openSimulator();
    const { page } = opened;
    const t0 = performance.now();
    // Keyboard only: choose the scenario in the diagnostics list, then submit from a form field with Enter.
    await page.locator('details#diagnostics summary').focus();
    await page.keyboard.press('Enter');
    await page.locator('input[name="diag-scenario"][value="KYC_NOT_VERIFIED"]').focus();
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#f-scenario').inputValue(), 'KYC_NOT_VERIFIED', 'the diagnostics chooser drives the form');
    await page.locator('#f-amount_usdt').focus();
    await page.keyboard.press('Enter');
    const code = page.getByTestId('upstream-error-code');
    await code.waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await code.textContent(), 'KYC_NOT_VERIFIED');
    assert.ok(((await page.getByTestId('upstream-error-message').textContent()) ?? '').length > 0);
    assert.equal(await page.locator('liqx-payout-widget').count(), 0, 'no widget without a session');
    await waitForFlow(page, 'error');
    const tError = since(t0);
    await page.getByTestId('receipt-type').waitFor({ timeout: STEP_TIMEOUT });
    assert.equal(await page.getByTestId('receipt-type').textContent(), 'transaction.failed');
    await openDiagnostics(page);
    const row = await receiptRow(page, 'transaction.failed');
    assert.match((await row.textContent()) ?? '', /KYC_NOT_VERIFIED/);
    await waitForFlow(page, 'error'); // the receipt does not turn a refused reservation into a success
    console.log(`# e2e KYC_NOT_VERIFIED: create -> upstream error ${tError}; -> transaction.failed observed ${since(t0)}`);
    await shot(page, 'preflight-error');
    assertClean(opened);
    await page.close();
  });

  test('EXPIRES: PAYOUT_EXPIRED from the widget and a transaction.expired receipt', async () => {
    const opened = await openSimulator();
    const { page } = opened;
    const t0 = performance.now();
    await create(page, 'EXPIRES');
    const id = await intentId(page);
    // Ready with the confirm screen, or already expired: on a busy machine the frame can connect after the TTL
    // has run out, and a state that lasts a moment can pass unseen.
    await page.waitForSelector('liqx-payout-widget:is([state="ready"], [state="expired"])', { state: 'attached', timeout: STEP_TIMEOUT });
    const frame = page.frameLocator('liqx-payout-widget iframe');
    await frame.locator('#confirm-button:visible, #result-title:visible').first().waitFor({ timeout: STEP_TIMEOUT });
    if (await frame.locator('#confirm-button').isVisible()) await frameShot(page, 'countdown-en');
    const entry = page.locator('li.log-entry[data-type="PAYOUT_EXPIRED"]', { hasText: 'onPayoutExpired' });
    await entry.waitFor({ timeout: EXPIRES_TTL_MS + STEP_TIMEOUT });
    const tExpired = since(t0);
    await page.frameLocator('liqx-payout-widget iframe').locator('#result-title').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await frameShot(page, 'expired-en');
    await waitForFlow(page, 'webhook_observed');
    await openDiagnostics(page);
    const row = await receiptRow(page, 'transaction.expired');
    assert.equal(await row.getAttribute('data-intent-id'), id);
    console.log(`# e2e EXPIRES (TTL ${EXPIRES_TTL_MS} ms): create -> PAYOUT_EXPIRED ${tExpired}; -> transaction.expired observed ${since(t0)}`);
    assertClean(opened);
    await page.close();
  });

  test('PARTNER_ENDPOINT_FLAKY: one receipt after retries, attempts 3', async () => {
    const opened = await openSimulator();
    const { page } = opened;
    const t0 = performance.now();
    // In Korean: the widget takes the language from the form.
    await page.selectOption('#f-locale', 'ko');
    await create(page, 'PARTNER_ENDPOINT_FLAKY');
    await intentId(page);
    const frame = page.frameLocator('liqx-payout-widget iframe');
    await frame.locator('#confirm-button').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    assert.equal(await frame.locator('#confirm-button').textContent(), '출금 확인');
    await frameShot(page, 'ready-ko');
    await frame.locator('#confirm-button').click({ timeout: STEP_TIMEOUT });
    await waitForFlow(page, 'webhook_observed');
    await frame.locator('#result-title').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await frameShot(page, 'completed-ko');
    assert.equal(await page.getByTestId('receipt-attempts').textContent(), '3');
    await openDiagnostics(page);
    await receiptRow(page, 'transaction.completed');
    assert.equal(await page.locator('table[data-testid="receipt-rows"] tr[data-current="true"]').count(), 1);
    console.log(`# e2e PARTNER_ENDPOINT_FLAKY: create -> webhook_observed after 3 deliveries ${since(t0)}`);
    assertClean(opened);
    await page.close();
  });
});
