/**
 * Resume, end to end through the running demo (real mock LIQX, partner proxy, SQLite store, Chromium): a partner
 * page reloaded after its payout finished, or while the confirm is still settling, asks its server for the session
 * again with the same external_ref (the kit derives the idempotency key from it, so LIQX answers with the same
 * intent) and mounts the widget. The frame shows the outcome, not the confirm screen; the element emits the
 * terminal event once, marked `replayed`; the store holds one completed receipt.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemo, type RunningDemo } from '../../demo/server/main.js';
import { createPayout, waitForRows } from '../node/demo/demo-helpers.js';
// @ts-expect-error: plain ESM helper without type declarations
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const STEP_TIMEOUT = 20_000;
/** Long enough that the page reliably reloads inside it; the test waits on conditions, never on this. */
const CONFIRM_DELAY_MS = 3_000;
const TERMINAL = ['liqx-payout-completed', 'liqx-payout-rejected', 'liqx-payout-expired', 'liqx-error'];

let demo: RunningDemo;
let browser: Browser;
let workDir: string;

before(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'liqx-resume-'));
  const distDir = join(workDir, 'dist');
  const require = createRequire(import.meta.url);
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const built = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--outDir', distDir, '--emptyOutDir'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(built.status, 0, `vite build failed:\n${built.stdout}\n${built.stderr}`);
  demo = await startDemo({ port: 0, liqxPort: 0, dataDir: join(workDir, 'data'), distDir, webhookRetryBaseMs: 20, confirmDelayMs: CONFIRM_DELAY_MS });
  const executablePath = findChromium();
  assert.ok(executablePath, 'No Chromium found (set CHROME_PATH)');
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await demo?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The partner's server opens (or reopens) the widget session for this order. */
async function sessionFor(externalRef: string) {
  const res = await createPayout(demo, { scenario: 'VERIFIED', external_ref: externalRef });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { intent_id: string; widget_session: Record<string, string> };
}

/** Mounts a widget with `session` on the partner page and records its events (in the page, as a partner would). */
async function mount(page: Page, session: Record<string, string>): Promise<void> {
  await page.evaluate(
    ({ session, names }) => {
      const w = window as unknown as { recorded: { type: string; detail: Record<string, unknown> }[] };
      w.recorded = [];
      const el = document.createElement('liqx-payout-widget') as HTMLElement & { session: unknown };
      el.id = 'resume-widget';
      for (const name of names) el.addEventListener(name, (e) => w.recorded.push({ type: name, detail: (e as CustomEvent).detail }));
      el.session = session;
      document.body.append(el);
    },
    { session, names: [...TERMINAL, 'liqx-payout-submitted'] },
  );
}

const recorded = (page: Page) => page.evaluate(() => (window as unknown as { recorded: { type: string; detail: Record<string, unknown> }[] }).recorded);

async function waitForEvent(page: Page, type: string): Promise<void> {
  await page.waitForFunction((t) => (window as unknown as { recorded: { type: string }[] }).recorded.some((e) => e.type === t), type, { timeout: STEP_TIMEOUT });
}

async function openPartnerPage(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${demo.partnerUrl}/`);
  await page.waitForFunction(() => customElements.get('liqx-payout-widget') !== undefined, undefined, { timeout: STEP_TIMEOUT });
  return page;
}

/** After the reload: the frame shows the completed result and the element reported it once, as a replay. */
async function assertReplayedCompletion(page: Page, intentId: string): Promise<Record<string, unknown>> {
  const frame = page.frameLocator('#resume-widget iframe');
  await frame.locator('#result-title').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  assert.equal(await frame.locator('#card').getAttribute('data-result'), 'completed');
  assert.equal(await frame.locator('#confirm-button').isVisible(), false, 'no confirm screen for a finished payout');
  await waitForEvent(page, 'liqx-payout-completed');
  await page.waitForSelector('#resume-widget[state="completed"]', { state: 'attached', timeout: STEP_TIMEOUT });
  const events = await recorded(page);
  const terminal = events.filter((e) => TERMINAL.includes(e.type));
  assert.deepEqual(terminal.map((e) => e.type), ['liqx-payout-completed'], 'one terminal event');
  assert.equal(events.filter((e) => e.type === 'liqx-payout-submitted').length, 0, 'nothing submitted again');
  const detail = terminal[0]!.detail;
  assert.equal(detail.replayed, true);
  assert.equal(detail.intentId, intentId);
  assert.match(String(detail.transactionId), /^tx_/);
  return detail;
}

/** Exactly one completed receipt for the order: one webhook, however often the page reloaded. */
async function assertOneCompletedReceipt(externalRef: string, intentId: string): Promise<void> {
  const rows = await waitForRows(demo, { external_ref: externalRef }, (r) => r.some((row) => row.status === 'completed'));
  const completed = rows.filter((row) => row.status === 'completed');
  assert.equal(completed.length, 1, JSON.stringify(rows));
  assert.equal(completed[0].intent_id, intentId);
}

describe('resume after a reload', { concurrency: false }, () => {
  test('completed, then reloaded: the same order shows its outcome, replayed once; one completed receipt', async () => {
    const ref = `resume-done-${Date.now()}`;
    const page = await openPartnerPage();
    try {
      const first = await sessionFor(ref);
      await mount(page, first.widget_session);
      const confirm = page.frameLocator('#resume-widget iframe').locator('#confirm-button');
      await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      await confirm.click();
      await waitForEvent(page, 'liqx-payout-completed');
      const live = (await recorded(page)).find((e) => e.type === 'liqx-payout-completed')!.detail;
      assert.equal('replayed' in live, false, 'the live outcome is not a replay');

      await page.reload();
      await page.waitForFunction(() => customElements.get('liqx-payout-widget') !== undefined, undefined, { timeout: STEP_TIMEOUT });
      const again = await sessionFor(ref);
      assert.equal(again.intent_id, first.intent_id, 'the same order is the same intent');
      await mount(page, again.widget_session);
      const replayed = await assertReplayedCompletion(page, first.intent_id);
      assert.equal(replayed.transactionId, live.transactionId, 'the same payout');
      await assertOneCompletedReceipt(ref, first.intent_id);
    } finally {
      await page.close();
    }
  });

  test('reloaded during the confirm delay: the settling confirm completes once and the reloaded page shows it', async () => {
    const ref = `resume-mid-${Date.now()}`;
    const page = await openPartnerPage();
    try {
      const first = await sessionFor(ref);
      await mount(page, first.widget_session);
      const confirm = page.frameLocator('#resume-widget iframe').locator('#confirm-button');
      await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
      // The confirm request itself must be in flight (accepted by LIQX, settling) when the page reloads.
      const confirmSent = page.waitForRequest((r) => r.url().endsWith('/v1/widget/payout/confirm'), { timeout: STEP_TIMEOUT });
      await confirm.click();
      await confirmSent;
      // Sent is not received: on a busy machine the reload's new session could otherwise revoke the old token
      // before LIQX reads the confirm. Reload once LIQX holds it, settling.
      const deadline = Date.now() + STEP_TIMEOUT;
      while (!demo.isSettling(first.intent_id)) {
        assert.ok(Date.now() < deadline, 'LIQX never started settling the confirm');
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.equal((await recorded(page)).some((e) => TERMINAL.includes(e.type)), false, 'reloading before the outcome');

      await page.reload();
      await page.waitForFunction(() => customElements.get('liqx-payout-widget') !== undefined, undefined, { timeout: STEP_TIMEOUT });
      const again = await sessionFor(ref);
      assert.equal(again.intent_id, first.intent_id);
      await mount(page, again.widget_session);
      await assertReplayedCompletion(page, first.intent_id);
      await assertOneCompletedReceipt(ref, first.intent_id);
    } finally {
      await page.close();
    }
  });
});
