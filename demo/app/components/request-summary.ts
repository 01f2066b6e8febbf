import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import type { Scenario } from '../api.js';
import { BLANK_MEANING, type RequestForm } from '../request-contract.js';
import { formatKrw, formatUsdt, langOf } from '../format.js';

/** "Request summary": the payload a person reads, with no raw JSON. */
export class CrmRequestSummary extends LightElement {
  @property({ attribute: false }) form!: RequestForm;
  @property({ attribute: false }) scenario: Scenario | null = null;
  /** 'draft ready' until sent; then what was sent. */
  @property() stateLabel = 'draft ready';
  /** What the proxy filled in for blank fields on the last run, shown instead of the placeholder. */
  @property({ attribute: false }) assigned: { external_ref?: string; external_user_id?: string } = {};

  #blank(field: 'external_ref' | 'external_user_id') {
    const assigned = this.assigned[field];
    return assigned
      ? html`<code>${assigned}</code> <span class="muted small">${field === 'external_ref' ? 'server-generated' : 'seeded mapped user'}</span>`
      : html`<span class="muted">${BLANK_MEANING[field]}</span>`;
  }

  protected override render() {
    const f = this.form;
    const rows: Array<[string, unknown, string?]> = [
      ['scenario', this.scenario?.label ?? f.scenario],
      ['external_ref', f.external_ref.trim() || this.#blank('external_ref')],
      ['external_user_id', f.external_user_id.trim() || this.#blank('external_user_id')],
      ['legal_name', html`<span lang=${langOf(f.legal_name) ?? 'en'}>${f.legal_name}</span>`],
      ['user_email', f.user_email],
      ['return_url', html`<span class="break">${f.return_url}</span>`],
      ['expected webhook', html`<code>${this.scenario?.expected_webhook ?? '—'}</code>`],
    ];
    return html`<section class="panel" aria-labelledby="request-summary-title">
      <header class="panel-head">
        <div>
          <h2 id="request-summary-title">Request summary</h2>
          <p class="panel-sub">Partner to LIQX payload preview without raw JSON.</p>
        </div>
        <span class="badge" data-tone=${this.stateLabel === 'draft ready' ? 'neutral' : 'info'}>${this.stateLabel}</span>
      </header>
      <div class="amount-hero">
        <div class="amount-main">
          <span class="amount-caption">amount_krw</span>
          <span class="amount-krw" data-testid="summary-krw">${formatKrw(f.amount_krw)}</span>
        </div>
        <div class="amount-side">
          <span class="amount-caption">amount_usdt</span>
          <span class="amount-usdt" data-testid="summary-usdt">${formatUsdt(f.amount_usdt)}</span>
        </div>
      </div>
      <dl class="facts" data-testid="request-summary">
        ${rows.map(([k, v, cls]) => html`<div class="fact ${cls ?? ''}"><dt>${k}</dt><dd>${v}</dd></div>`)}
      </dl>
    </section>`;
  }
}
