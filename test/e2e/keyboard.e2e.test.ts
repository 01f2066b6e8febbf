/**
 * One payout completed with the keyboard alone through the running demo: Tab to "Create PAYOUT reservation",
 * Enter; Tab on into the cross-origin widget frame to "Confirm payout", Space; the page reaches webhook_observed
 * with the transaction.completed receipt. Only Tab, Enter and Space are pressed; nothing is clicked. Reading
 * which element has focus is the only other interaction.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { openSimulator, startHarness, waitForFlow, type Harness } from './quality-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

const MAX_TABS = 120;

/** What has focus: on the page (through shadow roots) and, when focus is in the widget frame, inside it. */
async function focused(page: Page, frame: Frame | undefined): Promise<string> {
  const top = await page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body) return 'body';
    const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${name}"`;
  });
  if (!top.startsWith('iframe') || !frame) return top;
  const inner = await frame.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${(el.textContent ?? '').trim().slice(0, 60)}"`;
  });
  return `frame> ${inner}`;
}

/** Presses Tab until `matches` the focused element; returns the path taken (for the failure message). */
async function tabTo(page: Page, frame: () => Frame | undefined, matches: (f: string) => boolean): Promise<string[]> {
  const path: string[] = [];
  for (let i = 0; i < MAX_TABS; i++) {
    await page.keyboard.press('Tab');
    const now = await focused(page, frame());
    path.push(now);
    if (matches(now)) return path;
  }
  assert.fail(`not reached with ${MAX_TABS} Tabs; focus went:\n${path.join('\n')}`);
}

test('VERIFIED payout with the keyboard alone: Tab/Enter/Space from the empty page to webhook_observed', async () => {
  const { page, pageErrors } = await openSimulator(h);
  const widgetFrame = () => page.frames().find((f) => f.url().startsWith(h.demo.liqxUrl));
  assert.equal(await page.locator('#f-scenario').inputValue(), 'VERIFIED', 'the default scenario is the claim-ready one');

  const toCreate = await tabTo(page, widgetFrame, (f) => f.startsWith('button') && f.includes('Create PAYOUT reservation'));
  await page.keyboard.press('Enter');
  await page.waitForSelector('liqx-payout-widget[state="ready"]', { state: 'attached', timeout: 20_000 });
  const frame = widgetFrame();
  assert.ok(frame, 'the widget frame from the mock LIQX origin is on the page');
  await frame.locator('#confirm-button').waitFor({ state: 'visible' });

  const toConfirm = await tabTo(page, widgetFrame, (f) => f.startsWith('frame> button#confirm-button'));
  await page.keyboard.press('Space');

  await page.waitForSelector('liqx-payout-widget[state="completed"]', { state: 'attached', timeout: 20_000 });
  await waitForFlow(page, 'webhook_observed');
  assert.equal(await page.getByTestId('receipt-type').textContent(), 'transaction.completed');
  // The result screen inside the frame is reachable too: its "Done" button takes focus with Tab.
  await tabTo(page, widgetFrame, (f) => f.startsWith('frame> button#done-button'));
  assert.deepEqual(pageErrors, []);
  console.log(`# keyboard: ${toCreate.length} Tab(s) to Create, Enter; ${toConfirm.length} Tab(s) to Confirm payout, Space`);
  await page.close();
});
