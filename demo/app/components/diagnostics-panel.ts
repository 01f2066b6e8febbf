import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { RECEIPT_PROVIDERS, RECEIPT_STATUSES, type PayoutRequest, type ReceiptRow, type Scenario } from '../api.js';
import { FLOW_STATES, FLOW_STATE_HELP, type FlowState } from '../flow-machine.js';
import { belongsToRun, type RunKey } from '../receipt-match.js';
import { formatClock, formatTimestamp, maskTokens, prettyJson } from '../format.js';
import type { Run } from '../run.js';
import type { FormChange } from './request-form.js';

export interface HistoryFilters {
  provider: string;
  intent_id: string;
  external_ref: string;
  type: string;
  status: string;
}

export interface HistoryView {
  rows: ReceiptRow[];
  count: number;
  limit: number;
  readAt: number | null;
  error: string | null;
  /** What the table is showing: the history filters, the current run, or the latest receipts. */
  source: 'filters' | 'run' | 'latest';
}

export interface FlowStep {
  state: FlowState;
  at: number;
}

/**
 * "Advanced diagnostics": scenarios, raw request and API result, durable receipt rows, the flow state machine, and
 * recovery (the current intent's delivery log, redeliver, reconcile: ./recovery-panel.ts).
 */
export class CrmDiagnosticsPanel extends LightElement {
  @property({ attribute: false }) scenarios: Scenario[] = [];
  @property() scenario = '';
  @property({ attribute: false }) preview: PayoutRequest | null = null;
  @property({ attribute: false }) run: Run | null = null;
  @property({ attribute: false }) runKey: RunKey = { intentId: null, externalRef: null };
  @property({ attribute: false }) history: HistoryView = { rows: [], count: 0, limit: 20, readAt: null, error: null, source: 'latest' };
  @property({ attribute: false }) filters: HistoryFilters = { provider: '', intent_id: '', external_ref: '', type: '', status: '' };
  @property() flow: FlowState = 'idle';
  @property({ attribute: false }) flowHistory: FlowStep[] = [];
  @property({ type: Boolean }) open = false;

  #onScenario = (e: Event) => {
    const input = e.target as HTMLInputElement;
    if (input.name === 'diag-scenario') this.emit<FormChange>('form-change', { field: 'scenario', value: input.value });
  };

  #onFilter = (e: Event) => {
    const input = e.target as HTMLInputElement | HTMLSelectElement;
    if (input.name) this.emit('filter-change', { name: input.name, value: input.value });
  };

  #onToggle = (e: Event) => this.emit('diagnostics-toggle', (e.target as HTMLDetailsElement).open);

  protected override render() {
    return html`<details id="diagnostics" class="diagnostics" ?open=${this.open} @toggle=${this.#onToggle}>
      <summary><span class="summary-title">Advanced diagnostics: scenarios, raw API, filters, and state machine</span></summary>
      <div class="diagnostics-grid">
        ${this.#scenarios()} ${this.#contract()} ${this.#apiResult()} ${this.#stateMachine()} ${this.#receipts()}
      </div>
    </details>`;
  }

  #scenarios() {
    return html`<section class="diag-card diag-scenarios" aria-labelledby="diag-scenarios-title">
      <h3 id="diag-scenarios-title">Choose a scenario</h3>
      <fieldset class="scenario-list" @change=${this.#onScenario}>
        <legend class="visually-hidden">Scenario</legend>
        ${this.scenarios.map(
          (s) => html`<label class="scenario-option" data-selected=${s.id === this.scenario ? 'true' : 'false'}>
            <input type="radio" name="diag-scenario" value=${s.id} .checked=${s.id === this.scenario} />
            <span class="scenario-text">
              <span class="scenario-label">${s.label} <code class="scenario-id">${s.id}</code></span>
              <span class="scenario-description">${s.description}</span>
              <span class="scenario-expect">Expected webhook <code>${s.expected_webhook}</code></span>
            </span>
          </label>`,
        )}
      </fieldset>
    </section>`;
  }

  #contract() {
    return html`<section class="diag-card" aria-labelledby="diag-contract-title">
      <h3 id="diag-contract-title">Request contract preview</h3>
      <p class="panel-sub">Raw proxy payload generated from the visible request form. Blank external_ref and external_user_id are left out: the proxy generates the reference and falls back to the seeded mapped user.</p>
      <pre class="code" tabindex="0" aria-label="Request JSON" data-testid="contract-preview">${prettyJson(this.preview)}</pre>
    </section>`;
  }

  #apiResult() {
    const result = this.run?.result;
    return html`<section class="diag-card diag-api" aria-labelledby="diag-api-title">
      <h3 id="diag-api-title">Local API result</h3>
      ${result
        ? html`<p class="panel-sub">POST /api/payouts answered HTTP ${result.httpStatus || 'none'} at ${formatClock(this.run!.respondedAt)}. The session token is masked here; the widget receives it whole.</p>
            <pre class="code code-tall" tabindex="0" aria-label="API response JSON" data-testid="api-result">${prettyJson(maskTokens(result.raw))}</pre>`
        : html`<p class="empty">${this.run ? 'Waiting for the proxy…' : 'No PAYOUT intent has been created in this run.'}</p>`}
    </section>`;
  }

  #stateMachine() {
    const visited = new Map(this.flowHistory.map((s) => [s.state, s.at]));
    return html`<section class="diag-card diag-flow" aria-labelledby="diag-flow-title">
      <h3 id="diag-flow-title">Flow state machine</h3>
      <p class="panel-sub">idle → creating → created_or_terminal → polling_webhook → webhook_observed | error</p>
      <ol class="flow" data-testid="flow-states" data-flow-state=${this.flow}>
        ${FLOW_STATES.map((state) => {
          const active = state === this.flow;
          const at = visited.get(state);
          const status = active ? 'active' : at !== undefined ? 'visited' : 'pending';
          return html`<li class="flow-state" data-state=${state} data-status=${status} aria-current=${active ? 'step' : 'false'}>
            <code>${state}</code>
            <span class="flow-help">${FLOW_STATE_HELP[state]}</span>
            ${at !== undefined ? html`<time class="flow-time" datetime=${new Date(at).toISOString()}>${formatClock(at)}</time>` : nothing}
          </li>`;
        })}
      </ol>
    </section>`;
  }

  #receipts() {
    const h = this.history;
    const f = this.filters;
    const sourceText = h.source === 'filters' ? 'history filters' : h.source === 'run' ? 'the current run' : 'the latest receipts';
    return html`<section class="diag-card diag-receipts" aria-labelledby="diag-receipts-title">
      <header class="panel-head">
        <div>
          <h3 id="diag-receipts-title">Webhook receipt proof</h3>
          <p class="panel-sub">Reading durable <code>/api/webhooks/events</code> receipts of every provider every 3s with the same history filters as PAYIN.</p>
        </div>
        <span class="badge" data-tone=${h.count ? 'info' : 'neutral'} role="status" aria-live="polite" data-testid="row-count">${h.count} row${h.count === 1 ? '' : 's'}</span>
      </header>
      <p class="empty">Create a PAYOUT reservation or use the filters below to retrieve persisted webhook proof from a previous completion, reservation failure, or expiry scenario. API terminal state alone is not the completion proof; the matching webhook row is.</p>
      <form class="filters" role="search" aria-labelledby="diag-filters-title" @input=${this.#onFilter} @change=${this.#onFilter} @submit=${(e: Event) => e.preventDefault()}>
        <h4 id="diag-filters-title">History filters</h4>
        <div class="filter-grid">
          <div class="field"><label for="flt-provider">provider</label>
            <select id="flt-provider" name="provider">
              <option value="" ?selected=${!f.provider}>All providers</option>
              ${RECEIPT_PROVIDERS.map((p) => html`<option value=${p.id} ?selected=${f.provider === p.id}>${p.label}</option>`)}
            </select>
          </div>
          <div class="field"><label for="flt-intent">intent_id</label><input id="flt-intent" name="intent_id" .value=${f.intent_id} autocomplete="off" spellcheck="false" /></div>
          <div class="field"><label for="flt-ref">external_ref</label><input id="flt-ref" name="external_ref" .value=${f.external_ref} autocomplete="off" spellcheck="false" /></div>
          <div class="field"><label for="flt-type">event type</label>
            <select id="flt-type" name="type">
              <option value="" ?selected=${!f.type}>Any type</option>
              ${RECEIPT_PROVIDERS.filter((p) => !f.provider || f.provider === p.id).map(
                (p) => html`<optgroup label=${p.label}>
                  ${p.eventTypes.map((t) => html`<option value=${t} ?selected=${f.type === t}>${t}</option>`)}
                </optgroup>`,
              )}
            </select>
          </div>
          <div class="field"><label for="flt-status">status</label>
            <select id="flt-status" name="status">
              <option value="" ?selected=${!f.status}>Any status</option>
              ${RECEIPT_STATUSES.map((s) => html`<option value=${s} ?selected=${f.status === s}>${s}</option>`)}
            </select>
          </div>
        </div>
        <p class="hint">Bounded durable read: limit=${h.limit}. Showing ${sourceText}${h.readAt ? html`, read at ${formatClock(h.readAt)}` : ''}.
          <button type="button" class="link-button" @click=${() => this.emit('filters-clear', null)}>Clear filters</button></p>
      </form>
      ${h.error ? html`<p class="callout" data-tone="danger">Receipt read failed: ${h.error}</p>` : nothing}
      ${h.rows.length
        ? html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="diag-receipts-caption">
            <table class="receipts" data-testid="receipt-rows">
              <caption id="diag-receipts-caption" class="visually-hidden">Durable webhook receipts, newest first</caption>
              <thead><tr>
                <th scope="col">received_at</th><th scope="col">provider</th><th scope="col">event type</th><th scope="col">phase</th><th scope="col">status</th>
                <th scope="col">attempts</th><th scope="col">intent_id</th><th scope="col">external_ref</th><th scope="col">failure</th>
              </tr></thead>
              <tbody>
                ${h.rows.map((r) => {
                  const mine = belongsToRun(r, this.runKey);
                  return html`<tr data-current=${mine ? 'true' : 'false'} data-event-type=${r.event_type} data-intent-id=${r.intent_id ?? ''}>
                    <td>${formatTimestamp(r.received_at)}</td>
                    <td>${r.provider}</td>
                    <td><code>${r.event_type}</code>${mine ? html` <span class="pill pill-accent">this run</span>` : nothing}</td>
                    <td>${r.phase ?? '—'}</td>
                    <td><span class="pill">${r.status}</span></td>
                    <td class="num">${r.attempts ?? '—'}</td>
                    <td><code>${r.intent_id ?? '—'}</code></td>
                    <td><code>${r.external_ref ?? '—'}</code></td>
                    <td>${r.failure_code ? html`<code>${r.failure_code}</code>` : '—'}</td>
                  </tr>`;
                })}
              </tbody>
            </table>
          </div>`
        : html`<p class="empty">No durable webhook rows matched the current proof or history filters yet.</p>`}
      <crm-sample-webhooks></crm-sample-webhooks>
      <crm-recovery-panel .intentId=${this.runKey.intentId}></crm-recovery-panel>
    </section>`;
  }
}
