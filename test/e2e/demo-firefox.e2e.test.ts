/**
 * One payout end to end on Firefox: the demo flow from "Create PAYOUT reservation" (scenario VERIFIED) through the
 * cross-origin widget frame's Confirm to `webhook_observed` with a transaction.completed receipt, as
 * demo.e2e.test.ts does on Chromium. Firefox ESR is driven by puppeteer-core over WebDriver BiDi (Playwright's own
 * Firefox cannot be downloaded here); Debian's firefox-esr is found or installed by scripts/find-engines.mjs.
 * Nothing is stubbed. Timings are printed as `# ...` lines, not asserted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import puppeteer, { type Browser, type Frame, type Page } from 'puppeteer-core';
import { startDemo, type RunningDemo } from '../../demo/server/main.js';
// @ts-expect-error: plain ESM helper without type declarations
import { ensureEngine } from '../../scripts/find-engines.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const STEP_TIMEOUT = 30_000;

let demo: RunningDemo;
let browser: Browser;
let workDir: string;

const since = (t0: number) => `${Math.round(performance.now() - t0)} ms`;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'liqx-e2e-firefox-'));
  const distDir = join(workDir, 'dist');
  const viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const res = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--outDir', distDir, '--emptyOutDir'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(res.status, 0, `vite build failed:\n${res.stdout}\n${res.stderr}`);
  demo = await startDemo({ port: 0, liqxPort: 0, dataDir: join(workDir, 'data'), distDir, webhookRetryBaseMs: 20, expiresTtlMs: 60_000, confirmDelayMs: 150 });
  const executablePath = ensureEngine('firefox') as string | null;
  assert.ok(executablePath, 'No Firefox found (install firefox-esr)');
  const t0 = performance.now();
  browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true, protocolTimeout: 60_000 });
  console.log(`# e2e firefox: ${await browser.version()} started in ${since(t0)}`);
});

after(async () => {
  await browser?.close();
  await demo?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The widget's frame: the page's frame on the mock LIQX origin. */
async function liqxFrame(page: Page): Promise<Frame> {
  const deadline = Date.now() + STEP_TIMEOUT;
  for (;;) {
    const frame = page.frames().find((f) => f.url().startsWith(`${demo.liqxUrl}/`));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no frame on ${demo.liqxUrl}; frames: ${page.frames().map((f) => f.url()).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Partner CRM simulator on Firefox (WebDriver BiDi)', () => {
  test('VERIFIED: Create, widget ready in the cross-origin frame, Confirm, webhook_observed with transaction.completed', async () => {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    const cspViolations: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String((e as Error)?.message ?? e)));
    page.on('console', (m) => void (/Content[- ]Security[- ]Policy/i.test(m.text()) && cspViolations.push(m.text())));
    await page.setViewport({ width: 1440, height: 1000 });
    await page.goto(`${demo.partnerUrl}/`);
    await page.waitForSelector('#f-scenario option[value="VERIFIED"]', { timeout: STEP_TIMEOUT });
    await page.waitForSelector('crm-app[data-flow-state="idle"]', { timeout: STEP_TIMEOUT });

    const t0 = performance.now();
    await page.select('#f-scenario', 'VERIFIED');
    await page.click('form button[type="submit"]');
    await page.waitForSelector('crm-app[data-flow-state="created_or_terminal"]', { timeout: STEP_TIMEOUT });
    const id = (await page.$eval('[data-testid="intent-id"]', (el) => el.textContent?.trim() ?? '')) || '';
    assert.ok(id, 'the response proof names the intent');

    const frame = await liqxFrame(page);
    await frame.waitForSelector('#confirm-button', { visible: true, timeout: STEP_TIMEOUT });
    await page.waitForSelector('liqx-payout-widget[state="ready"]', { timeout: STEP_TIMEOUT });
    const tReady = since(t0);
    assert.match((await frame.$eval('[data-testid="amount-krw"]', (el) => el.textContent ?? '')) ?? '', /100,000/);

    const t1 = performance.now();
    await frame.click('#confirm-button');
    await page.waitForSelector('li.log-entry[data-type="PAYOUT_COMPLETED"]', { timeout: STEP_TIMEOUT });
    await page.waitForSelector('crm-app[data-flow-state="webhook_observed"]', { timeout: STEP_TIMEOUT });
    const tObserved = since(t1);

    assert.equal(await page.$eval('[data-testid="receipt-type"]', (el) => el.textContent), 'transaction.completed');
    assert.equal(await page.$eval('li.flow-state[aria-current="step"]', (el) => el.getAttribute('data-state')), 'webhook_observed');
    assert.equal(await page.$$eval('.step[data-status="done"]', (els) => els.length), 4, 'all four proof steps done');
    const rows = await page.$$eval('table[data-testid="receipt-rows"] tr[data-current="true"]', (trs) =>
      trs.map((tr) => ({ intent: tr.getAttribute('data-intent-id'), type: tr.getAttribute('data-event-type'), text: tr.textContent ?? '' })),
    );
    assert.equal(rows.length, 1, 'exactly one receipt for the intent');
    assert.equal(rows[0]!.intent, id);
    assert.equal(rows[0]!.type, 'transaction.completed');
    assert.match(rows[0]!.text, /PAYOUT/);
    assert.deepEqual(pageErrors, [], 'no uncaught page errors');
    assert.deepEqual(cspViolations, [], 'no CSP violations reported to the console');
    console.log(`# e2e firefox VERIFIED: create -> widget ready ${tReady}; Confirm -> webhook_observed ${tObserved}; total ${since(t0)}`);
    await page.close();
  });
});
