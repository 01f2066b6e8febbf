import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { LightElement } from './light-element.js';
import type { LiqxPayoutWidget } from '../../../src/element/payout-widget.js';
import type { Run } from '../run.js';
import { formatClock } from '../format.js';

/** The SDK callbacks the app wires on each widget element (one set per run, so a stale element is ignored). */
export type WidgetHandlers = Pick<
  LiqxPayoutWidget,
  'onReady' | 'onPayoutSubmitted' | 'onPayoutCompleted' | 'onPayoutRejected' | 'onPayoutExpired' | 'onError' | 'onStateChange'
>;

const STATE_LABEL: Record<string, [string, string]> = {
  idle: ['idle', 'neutral'],
  loading: ['connecting', 'info'],
  ready: ['ready', 'info'],
  submitted: ['submitted', 'info'],
  completed: ['completed', 'success'],
  rejected: ['rejected', 'danger'],
  expired: ['expired', 'warning'],
  error: ['error', 'danger'],
};

/** "PAYOUT widget": embeds <liqx-payout-widget> once LIQX accepted the reservation; upstream errors and the event log. */
export class CrmWidgetPanel extends LightElement {
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) handlers: WidgetHandlers | null = null;
  @property() locale: 'ko' | 'en' = 'en';

  protected override render() {
    const [label, tone] = this.#badge();
    return html`<section class="panel panel-widget" aria-labelledby="widget-title">
      <header class="panel-head">
        <div>
          <h2 id="widget-title">PAYOUT widget</h2>
          <p class="panel-sub">
            The demo proxy creates a PAYOUT intent, exchanges it for a widget session, then embeds the payout widget automatically.
            <code>PAYOUT_REJECTED</code> is the browser event that maps to the SDK <code>onPayoutRejected</code> callback; durable failure
            proof remains <code>transaction.failed</code> or <code>transaction.expired</code> in webhook receipts.
          </p>
        </div>
        <span class="badge" data-tone=${tone} role="status" aria-live="polite" data-testid="widget-badge">${label}</span>
      </header>
      <div class="widget-stage">${this.#stage()}</div>
      ${this.#log()}
    </section>`;
  }

  #badge(): [string, string] {
    const result = this.run?.result;
    if (!this.run) return ['idle', 'neutral'];
    if (!result) return ['waiting for session', 'info'];
    if (result.kind === 'upstream') return ['upstream error', 'danger'];
    if (result.kind !== 'created') return ['not opened', 'danger'];
    return (STATE_LABEL[this.run.widgetState] ?? ['idle', 'neutral']) as [string, string];
  }

  #stage() {
    const run = this.run;
    const result = run?.result;
    if (!run) {
      return html`<p class="empty">Create a PAYOUT reservation to open the widget automatically. If LIQX fails reservation preflight or the intent expires, the upstream error appears here.</p>`;
    }
    if (!result) return html`<div class="widget-placeholder" aria-hidden="true"><span class="button-spinner"></span>Reserving the payout…</div>`;
    if (result.kind === 'created') {
      const h = this.handlers;
      return keyed(
        run.id,
        html`<liqx-payout-widget
          .session=${result.body.widget_session}
          locale=${this.locale}
          .onReady=${h?.onReady ?? null}
          .onPayoutSubmitted=${h?.onPayoutSubmitted ?? null}
          .onPayoutCompleted=${h?.onPayoutCompleted ?? null}
          .onPayoutRejected=${h?.onPayoutRejected ?? null}
          .onPayoutExpired=${h?.onPayoutExpired ?? null}
          .onError=${h?.onError ?? null}
          .onStateChange=${h?.onStateChange ?? null}
        ></liqx-payout-widget>`,
      );
    }
    if (result.kind === 'upstream') {
      const e = result.body.error;
      return html`<div class="upstream-error" role="alert" data-testid="upstream-error">
        <p class="upstream-error-title">LIQX refused the reservation</p>
        <p><code data-testid="upstream-error-code">${e.code}</code>${e.upstream_status ? html` <span class="muted">HTTP ${e.upstream_status}</span>` : nothing}</p>
        <p data-testid="upstream-error-message">${e.message}</p>
        <p class="note">No widget session was issued. The failure is still delivered as a <code>transaction.failed</code> webhook.</p>
      </div>`;
    }
    if (result.kind === 'invalid') {
      const issues = result.body.error.issues ?? [];
      return html`<div class="upstream-error" role="alert">
        <p class="upstream-error-title">The proxy refused the request contract</p>
        <p><code>${result.body.error.code}</code> ${result.body.error.message}</p>
        ${issues.length ? html`<ul class="issues">${issues.map((i) => html`<li><code>${i.path || '(root)'}</code> ${i.message}</li>`)}</ul>` : nothing}
      </div>`;
    }
    return html`<div class="upstream-error" role="alert"><p class="upstream-error-title">The demo proxy did not answer</p><p>${result.message}</p></div>`;
  }

  #log() {
    const entries = this.run?.widgetLog ?? [];
    return html`<div class="event-log">
      <h3 id="event-log-title">What the widget reported</h3>
      ${entries.length
        ? nothing
        : html`<p class="empty">SDK callbacks appear here as the widget reports them: onReady, onPayoutSubmitted, onPayoutCompleted, onPayoutRejected, onPayoutExpired, onError.</p>`}
      <ol class="log" aria-labelledby="event-log-title" aria-live="polite" data-testid="event-log">
        ${entries.map(
          (e) => html`<li class="log-entry" data-tone=${e.tone} data-type=${e.type}>
            <time datetime=${new Date(e.at).toISOString()}>${formatClock(e.at)}</time>
            <code class="log-callback">${e.callback}</code>
            <span class="log-type">${e.type}</span>
            <span class="log-text">${e.text}${e.code ? html` <code>${e.code}</code>` : nothing}</span>
          </li>`,
        )}
      </ol>
    </div>`;
  }
}
