import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import type { Run } from '../run.js';
import { formatClock, formatRelative } from '../format.js';

type Tone = 'neutral' | 'info' | 'success' | 'danger' | 'warning';

/** "Response proof": what LIQX answered through the proxy. Local evidence only. */
export class CrmResponseProof extends LightElement {
  @property({ attribute: false }) run: Run | null = null;
  @property({ type: Number }) now = Date.now();

  protected override render() {
    const [label, tone] = this.#badge();
    return html`<section class="panel" aria-labelledby="response-proof-title">
      <header class="panel-head">
        <div>
          <h2 id="response-proof-title">Response proof</h2>
          <p class="panel-sub">LIQX response proof is local evidence. Webhook delivery is proven separately.</p>
        </div>
        <span class="badge" data-tone=${tone} role="status" aria-live="polite" data-testid="response-badge">${label}</span>
      </header>
      ${this.#body()}
    </section>`;
  }

  #badge(): [string, Tone] {
    const result = this.run?.result;
    if (!this.run) return ['not sent', 'neutral'];
    if (!result) return ['waiting for LIQX', 'info'];
    if (result.kind === 'created') return [`${result.httpStatus} ${result.body.status}`, 'success'];
    if (result.kind === 'network') return ['no answer', 'danger'];
    return [`${result.httpStatus} ${result.body.error.code}`, 'danger'];
  }

  #body() {
    const run = this.run;
    const result = run?.result;
    if (!run) {
      return html`<p class="empty">Create a PAYOUT reservation to receive an intent_id, status, and widget session from LIQX.</p>`;
    }
    if (!result) return html`<p class="empty">Sent at ${formatClock(run.sentAt)}; waiting for the proxy to create the intent and the widget session…</p>`;
    if (result.kind === 'created') {
      const b = result.body;
      const s = b.widget_session;
      const expired = Date.parse(s.expires_at) <= this.now;
      return html`<dl class="facts" data-testid="response-proof">
        <div class="fact fact-wide"><dt>intent_id</dt><dd><code data-testid="intent-id">${b.intent_id}</code></dd></div>
        <div class="fact"><dt>status</dt><dd><span class="pill">${b.status}</span></dd></div>
        <div class="fact"><dt>external_ref</dt><dd><code>${b.external_ref}</code></dd></div>
        <div class="fact"><dt>external_user_id</dt><dd><code>${b.external_user_id}</code></dd></div>
        <div class="fact fact-wide"><dt>widget session</dt><dd><code>${s.session_id}</code></dd></div>
        <div class="fact"><dt>session expiry</dt><dd>${formatClock(s.expires_at)} <span class=${expired ? 'text-warning' : 'muted'}>(${expired ? 'expired ' : ''}${formatRelative(s.expires_at, this.now)})</span></dd></div>
      </dl>
      <p class="note">This answer shows LIQX accepted the reservation. It does not prove a payout: only the webhook receipt does.</p>`;
    }
    if (result.kind === 'network') return html`<p class="callout" data-tone="danger">The demo proxy did not answer: ${result.message}</p>`;
    const e = result.body.error;
    return html`<dl class="facts">
        <div class="fact"><dt>HTTP status</dt><dd>${result.httpStatus}</dd></div>
        <div class="fact"><dt>error code</dt><dd><code>${e.code}</code></dd></div>
        ${e.upstream_status ? html`<div class="fact"><dt>upstream status</dt><dd>${e.upstream_status}</dd></div>` : nothing}
        ${result.body.external_ref ? html`<div class="fact"><dt>external_ref</dt><dd><code>${result.body.external_ref}</code></dd></div>` : nothing}
      </dl>
      <p class="note">${result.kind === 'invalid' ? 'The proxy refused the request contract; nothing reached LIQX.' : 'LIQX refused the reservation at preflight; no widget session was issued.'}</p>`;
  }
}
