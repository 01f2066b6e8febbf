/**
 * "Send sample event": one button per payout provider. The partner server signs a sample from the provider's
 * documented example exactly as that provider would (LIQX: Standard Webhooks; cash-out reference and Ipay: the
 * shared-secret HMAC we accept for them) and POSTs it to its own real webhook endpoint over HTTP; the receipt then
 * shows up in the durable receipt rows like any other. Self-contained: its own shadow root and adopted styles
 * (allowed by the page's CSP), coloured by the page's CSS custom properties where they exist.
 *
 * @fires sample-webhook-sent - detail: the server's answer, after each send (bubbles, composed)
 */
import { LitElement, css, html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { RECEIPT_PROVIDERS, type ApiErrorBody, type ReceiptRow } from '../api.js';

type Provider = (typeof RECEIPT_PROVIDERS)[number]['id'];

/** How each provider signs and which example it sends; ids and labels come from the one provider list (../api.ts). */
const SIGNING: Record<Provider, { signing: string; sample: string }> = {
  liqx: { signing: 'Standard Webhooks (webhook-signature v1)', sample: 'transaction.completed, phase PAYOUT' },
  'cashout-reference': {
    signing: 'Shared-secret HMAC-SHA256 (the document defines no signature)',
    sample: 'CASHOUT_REFERENCE_COMPLETED, the documented example with its comments',
  },
  ipay: { signing: 'Shared-secret HMAC-SHA256 (the document defines no signature)', sample: 'payoutUpdate / successful, the documented example' },
};
const PROVIDERS = RECEIPT_PROVIDERS.map(({ id, label }) => ({ id, label, ...SIGNING[id] }));

/** What POST /api/demo/sample-webhook answers. */
interface SampleResult {
  provider: Provider;
  endpoint: string;
  http_status: number;
  ok: boolean;
  duration_ms?: number;
  response?: { received?: boolean; duplicate?: boolean; webhook_id?: string; status?: ReceiptRow['status']; error?: ApiErrorBody['error'] } | string;
  error?: string;
  sent?: { headers: Record<string, string>; body: string };
}

type View = { state: 'sending' } | { state: 'done'; result: SampleResult } | { state: 'failed'; message: string };

export class CrmSampleWebhooks extends LitElement {
  static override styles = css`
    :host { display: block; margin-top: 1rem; padding-top: 1rem; border-top: 1px solid var(--border, #e2e8f0); color: var(--text, #0f172a); }
    h3 { margin: 0 0 0.25rem; font-size: 1rem; }
    p { margin: 0 0 0.75rem; color: var(--text-2, #4a5568); font-size: 0.875rem; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.75rem; }
    li { border: 1px solid var(--border, #dde3ec); border-radius: var(--radius-sm, 8px); padding: 0.75rem; display: grid; gap: 0.4rem; }
    .row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; }
    .name { font-weight: 600; }
    .meta { font-size: 0.8125rem; color: var(--text-2, #4a5568); }
    button {
      font: inherit; font-size: 0.875rem; font-weight: 600; padding: 0.4rem 0.8rem; border-radius: var(--radius-sm, 8px);
      border: 1px solid var(--border-strong, #c3ccd9); background: var(--surface, #fff); color: var(--accent, #2352d8); cursor: pointer;
    }
    button:hover:not(:disabled) { background: var(--surface-2, #f3f6fa); }
    button:disabled { opacity: 0.6; cursor: progress; }
    button:focus-visible { outline: 2px solid var(--accent, #2352d8); outline-offset: 2px; }
    .result { font-size: 0.8125rem; }
    .result[data-tone='ok'] { color: var(--success, #17693a); }
    .result[data-tone='bad'] { color: var(--danger, #b42318); }
    code { font-family: var(--mono, ui-monospace, monospace); font-size: 0.8125rem; word-break: break-all; }
    details summary { cursor: pointer; font-size: 0.8125rem; color: var(--text-2, #4a5568); }
    pre {
      margin: 0.4rem 0 0; padding: 0.6rem; max-height: 220px; overflow: auto; white-space: pre-wrap; word-break: break-all;
      background: var(--code-bg, #0f172a); color: var(--code-text, #e2e8f0); border-radius: 6px; font-size: 0.75rem;
    }
  `;

  @state() private views: Partial<Record<Provider, View>> = {};

  async send(provider: Provider): Promise<void> {
    this.views = { ...this.views, [provider]: { state: 'sending' } };
    let view: View;
    try {
      const res = await fetch('/api/demo/sample-webhook', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ provider }),
      });
      const result = (await res.json()) as SampleResult;
      view = { state: 'done', result };
      this.dispatchEvent(new CustomEvent('sample-webhook-sent', { detail: result, bubbles: true, composed: true }));
    } catch (err) {
      view = { state: 'failed', message: String((err as Error)?.message ?? err) };
    }
    this.views = { ...this.views, [provider]: view };
  }

  #result(view: View | undefined) {
    if (!view) return nothing;
    if (view.state === 'sending') return html`<div class="result" role="status">Signing and sending…</div>`;
    if (view.state === 'failed') return html`<div class="result" data-tone="bad" role="status">Request failed: ${view.message}</div>`;
    const r = view.result;
    const body = typeof r.response === 'object' ? r.response : undefined;
    const outcome = body?.received
      ? body.duplicate
        ? 'already stored (duplicate, not stored again)'
        : `stored as ${body.status ?? 'a receipt'}`
      : (body?.error?.code ?? r.error ?? 'refused');
    return html`<div class="result" data-tone=${r.ok ? 'ok' : 'bad'} role="status" data-testid="sample-result">
        POST <code>${r.endpoint}</code> answered HTTP ${r.http_status || 'none'}${r.duration_ms !== undefined ? ` in ${r.duration_ms} ms` : ''}: ${outcome}
        ${body?.webhook_id ? html`<br />key <code>${body.webhook_id}</code>` : nothing}
      </div>
      ${r.sent
        ? html`<details>
            <summary>Signed request as sent</summary>
            <pre tabindex="0">${Object.entries(r.sent.headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${r.sent.body}</pre>
          </details>`
        : nothing}`;
  }

  protected override render() {
    return html`<h3 id="sample-title">Send sample event</h3>
      <p>Signs a sample webhook as each provider would and sends it through this partner's real endpoint. The receipt appears in the rows above.</p>
      <ul aria-labelledby="sample-title">
        ${PROVIDERS.map((p) => {
          const view = this.views[p.id];
          return html`<li data-provider=${p.id}>
            <div class="row">
              <span class="name">${p.label}</span>
              <button type="button" ?disabled=${view?.state === 'sending'} @click=${() => this.send(p.id)} data-testid=${`send-sample-${p.id}`}>
                Send sample ${p.label} event
              </button>
            </div>
            <div class="meta">${p.sample}. ${p.signing}.</div>
            ${this.#result(view)}
          </li>`;
        })}
      </ul>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crm-sample-webhooks': CrmSampleWebhooks;
  }
}
