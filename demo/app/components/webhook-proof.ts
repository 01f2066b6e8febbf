import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { expectedWebhook, expectsNoReceipt, runKey, type Run } from '../run.js';
import { isExpectedReceipt } from '../receipt-match.js';
import { formatClock, formatTimestamp } from '../format.js';

/** "Webhook proof summary": only a durable receipt that matches the current intent proves delivery. */
export class CrmWebhookProof extends LightElement {
  @property({ attribute: false }) run: Run | null = null;

  protected override render() {
    const run = this.run;
    const receipt = run?.receipt ?? null;
    const key = runKey(run);
    const waiting = Boolean(run && !receipt && !expectsNoReceipt(run) && (key.intentId || key.externalRef));
    const label = receipt ? 'observed' : waiting ? 'polling every 3 s' : 'not observed yet';
    const tone = receipt ? (receipt.event_type === 'transaction.completed' ? 'success' : 'warning') : waiting ? 'info' : 'neutral';
    return html`<section class="panel" aria-labelledby="webhook-proof-title">
      <header class="panel-head">
        <div>
          <h2 id="webhook-proof-title">Webhook proof summary</h2>
          <p class="panel-sub">Only a durable receipt match proves LIQX delivered the callback.</p>
        </div>
        <span class="badge" data-tone=${tone} role="status" aria-live="polite" data-testid="webhook-badge">${label}</span>
      </header>
      ${receipt ? this.#receipt(run!) : this.#waiting(run, waiting)}
    </section>`;
  }

  #waiting(run: Run | null, waiting: boolean) {
    if (!run) return html`<p class="empty">Create a PAYOUT reservation or open Advanced diagnostics to look up a persisted receipt from a previous run.</p>`;
    if (expectsNoReceipt(run)) return html`<p class="empty">The request never reached LIQX, so no webhook will be delivered for it.</p>`;
    if (!waiting) return html`<p class="empty">Waiting for LIQX to name the intent…</p>`;
    const key = runKey(run);
    return html`<p class="empty">
        Reading LIQX receipts at <code>/api/webhooks/events</code> for
        ${key.intentId ? html`intent <code>${key.intentId}</code>` : html`external_ref <code>${key.externalRef}</code>`}.
        Expecting <code>${expectedWebhook(run) ?? 'a terminal event'}</code>.
      </p>
      ${run.receiptCheckedAt ? html`<p class="note">Last checked ${formatClock(run.receiptCheckedAt)}: no matching receipt stored yet.</p>` : nothing}
      ${run.receiptError ? html`<p class="callout" data-tone="danger">Receipt read failed: ${run.receiptError}</p>` : nothing}`;
  }

  #receipt(run: Run) {
    const r = run.receipt!;
    const expected = expectedWebhook(run);
    const matches = isExpectedReceipt(r, expected);
    return html`<dl class="facts" data-testid="webhook-proof">
        <div class="fact"><dt>event type</dt><dd><code data-testid="receipt-type">${r.event_type}</code></dd></div>
        <div class="fact"><dt>phase</dt><dd>${r.phase ?? '—'}</dd></div>
        <div class="fact"><dt>status</dt><dd><span class="pill">${r.status}</span></dd></div>
        <div class="fact"><dt>attempts</dt><dd data-testid="receipt-attempts">${r.attempts}</dd></div>
        <div class="fact"><dt>received_at</dt><dd>${formatTimestamp(r.received_at)}</dd></div>
        <div class="fact"><dt>webhook_id</dt><dd><code class="break">${r.webhook_id}</code></dd></div>
        ${r.failure_code ? html`<div class="fact fact-wide"><dt>failure</dt><dd class="fact-plain"><code>${r.failure_code}</code> ${r.failure_message ?? ''}</dd></div>` : nothing}
      </dl>
      <p class="callout" data-tone=${matches ? 'success' : 'warning'}>
        ${matches
          ? html`Durable receipt matches intent <code>${r.intent_id ?? r.external_ref}</code> and the expected <code>${expected}</code>.`
          : html`A receipt for this run is stored, but it is <code>${r.event_type}</code>, not the expected <code>${expected ?? '—'}</code>.`}
      </p>`;
  }
}
