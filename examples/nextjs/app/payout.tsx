'use client';

import { useState } from 'react';
import type { WidgetSession } from 'liqx-payout-widget';
import { LiqxPayoutWidget } from 'liqx-payout-widget/react';

// One reference per payout: a retried request is the same payout.
const payoutRef = crypto.randomUUID();

export function Payout() {
  const [session, setSession] = useState<WidgetSession | null>(null);
  const [status, setStatus] = useState('');

  async function withdraw() {
    const res = await fetch('/api/payouts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payout_ref: payoutRef }),
    });
    const body = await res.json();
    if (res.ok) setSession(body.widget_session);
    else setStatus(`Could not start the payout: ${body.error.code}`);
  }

  // What the widget says is local evidence; the payout is final when your backend holds LIQX's signed webhook.
  async function waitForReceipt(intentId: string, seen: string) {
    setStatus(`${seen}: waiting for the webhook receipt`);
    for (;;) {
      const { rows } = await (await fetch(`/api/receipts?intent_id=${encodeURIComponent(intentId)}`)).json();
      if (rows.length) return setStatus(`Receipt: ${rows[0].status}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }

  return (
    <>
      <button type="button" disabled={session !== null} onClick={withdraw}>Withdraw 50,000 KRW</button>
      {session && (
        <LiqxPayoutWidget
          session={session}
          locale="en"
          // Event props receive the DOM event: read event.detail.
          onPayoutCompleted={(event) => waitForReceipt(event.detail.intentId, 'Confirmed')}
          onPayoutRejected={(event) => waitForReceipt(event.detail.intentId, `Declined (${event.detail.reason.code})`)}
          onPayoutExpired={(event) => waitForReceipt(event.detail.intentId, 'Expired')}
          onError={(event) => setStatus(`Error: ${event.detail.code}`)}
        />
      )}
      <output>{status}</output>
    </>
  );
}
