import { Component, CUSTOM_ELEMENTS_SCHEMA, signal } from '@angular/core';
import 'liqx-payout-widget/define';
import type { LiqxEvent, WidgetSession } from 'liqx-payout-widget';

@Component({
  selector: 'app-payout',
  schemas: [CUSTOM_ELEMENTS_SCHEMA], // lets Angular accept <liqx-payout-widget>; [session] sets the property
  template: `
    <button type="button" [disabled]="session() !== null" (click)="withdraw()">Withdraw 50,000 KRW</button>
    @if (session(); as session) {
      <liqx-payout-widget [session]="session" locale="en"
        (liqx-payout-completed)="onCompleted($event)"
        (liqx-payout-rejected)="onRejected($event)"
        (liqx-payout-expired)="onExpired($event)"
        (liqx-error)="onError($event)"></liqx-payout-widget>
    }
    <output>{{ status() }}</output>`,
})
export class PayoutComponent {
  // One reference per payout: a retried request is the same payout.
  private readonly payoutRef = crypto.randomUUID();
  readonly session = signal<WidgetSession | null>(null);
  readonly status = signal('');

  async withdraw() {
    const res = await fetch('/api/payouts', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ payout_ref: this.payoutRef }),
    });
    const body = await res.json();
    if (res.ok) this.session.set(body.widget_session);
    else this.status.set(`Could not start the payout: ${body.error.code}`);
  }

  // Angular types a custom element's events as Event: narrow to the element's event classes.
  onCompleted(event: Event) {
    this.waitForReceipt((event as LiqxEvent<'liqx-payout-completed'>).detail.intentId, 'Confirmed');
  }
  onRejected(event: Event) {
    const { detail } = event as LiqxEvent<'liqx-payout-rejected'>;
    this.waitForReceipt(detail.intentId, `Declined (${detail.reason.code})`);
  }
  onExpired(event: Event) {
    this.waitForReceipt((event as LiqxEvent<'liqx-payout-expired'>).detail.intentId, 'Expired');
  }
  onError(event: Event) {
    this.status.set(`Error: ${(event as LiqxEvent<'liqx-error'>).detail.code}`);
  }

  // What the widget says is local evidence; the payout is final when your backend holds LIQX's signed webhook.
  private async waitForReceipt(intentId: string, seen: string) {
    this.status.set(`${seen}: waiting for the webhook receipt`);
    for (;;) {
      const { rows } = await (await fetch(`/api/receipts?intent_id=${encodeURIComponent(intentId)}`)).json();
      if (rows.length) return this.status.set(`Receipt: ${rows[0].status}`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
