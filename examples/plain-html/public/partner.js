// partner.js, served from your own origin: the page has no inline script, so a strict CSP runs it.
const button = document.getElementsByTagName('button')[0];
const widget = document.getElementsByTagName('liqx-payout-widget')[0];
const status = document.getElementsByTagName('output')[0];
const payoutRef = crypto.randomUUID(); // one per payout: a retried request is the same payout

button.addEventListener('click', async () => {
  button.disabled = true;
  const res = await fetch('/api/payouts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ payout_ref: payoutRef }),
  });
  const body = await res.json();
  if (!res.ok) return void (status.textContent = `Could not start the payout: ${body.error.code}`);
  widget.session = body.widget_session;
});
widget.addEventListener('liqx-payout-completed', (event) => waitForReceipt(event.detail.intentId, 'Confirmed'));
widget.addEventListener('liqx-payout-rejected', (event) => waitForReceipt(event.detail.intentId, `Declined (${event.detail.reason.code})`));
widget.addEventListener('liqx-payout-expired', (event) => waitForReceipt(event.detail.intentId, 'Expired'));
widget.addEventListener('liqx-error', (event) => (status.textContent = `Error: ${event.detail.code}`));

// What the widget says is local evidence; the payout is final when your backend holds LIQX's signed webhook.
/** @param {string} intentId @param {string} seen */
async function waitForReceipt(intentId, seen) {
  status.textContent = `${seen}: waiting for the webhook receipt`;
  for (;;) {
    const { rows } = await (await fetch(`/api/receipts?intent_id=${encodeURIComponent(intentId)}`)).json();
    if (rows.length) return void (status.textContent = `Receipt: ${rows[0].status}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
