/**
 * The diagnostics panel's receipt table shows every provider's durable receipts together and filters them by
 * provider: a sample event of each provider goes through the partner's real endpoints, then the provider filter
 * narrows the rows (and the event-type choices) to one provider. Axe-clean with the panel open.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { axeViolations, formatViolations, openSimulator, startHarness, type Harness } from './quality-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

test('samples of all three providers show together; the provider filter narrows rows and event types', async () => {
  const { page, pageErrors } = await openSimulator(h);
  const details = page.locator('details#diagnostics');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();

  for (const provider of ['liqx', 'cashout-reference', 'ipay']) {
    await page.getByTestId(`send-sample-${provider}`).click();
    await page.locator(`crm-sample-webhooks li[data-provider="${provider}"]`).getByText('answered HTTP 200').waitFor();
  }
  const providersShown = () => page.locator('[data-testid="receipt-rows"] tbody tr td:nth-child(2)').allTextContents();
  // The poller reads every 3 s; the filter change triggers a read at once (250 ms debounce).
  await page.waitForFunction(() => new Set([...document.querySelectorAll('[data-testid="receipt-rows"] tbody tr td:nth-child(2)')].map((td) => td.textContent)).size === 3, null, { timeout: 10_000 });
  assert.deepEqual(new Set(await providersShown()), new Set(['liqx', 'cashout-reference', 'ipay']));

  await page.selectOption('#flt-provider', 'ipay');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="receipt-rows"] tbody tr td:nth-child(2)')].every((td) => td.textContent === 'ipay'), null, { timeout: 10_000 });
  const rows = await providersShown();
  assert.ok(rows.length >= 1 && rows.every((p) => p === 'ipay'), `rows: ${rows.join(', ')}`);
  // Ipay counts no deliveries: the attempts cell says so instead of a number.
  assert.equal(await page.locator('[data-testid="receipt-rows"] tbody tr td:nth-child(6)').first().textContent(), '—');
  const typeChoices = await page.locator('#flt-type option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  assert.deepEqual(typeChoices, ['payoutCreated', 'payoutUpdated', 'payoutUpdate', 'payoutFailure']);

  // A LIQX event type is cleared when the provider narrows to one that never sends it.
  await page.selectOption('#flt-provider', '');
  await page.selectOption('#flt-type', 'transaction.completed');
  await page.selectOption('#flt-provider', 'cashout-reference');
  await page.waitForFunction(() => (document.querySelector('#flt-type') as HTMLSelectElement).value === '');
  // The cash-out receipt keeps its sub-type as the event type, and the type filter finds it.
  await page.selectOption('#flt-type', 'CASHOUT_REFERENCE_COMPLETED');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="receipt-rows"] tbody tr')];
    return rows.length > 0 && rows.every((tr) => tr.getAttribute('data-event-type') === 'CASHOUT_REFERENCE_COMPLETED');
  }, null, { timeout: 10_000 });

  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, formatViolations(violations));
  assert.deepEqual(pageErrors, []);
  await page.close();
});
