/**
 * "Recovery" in Advanced diagnostics: what a partner does after its webhook endpoint missed deliveries
 * (docs/recovery.md), through the partner proxy's recovery routes:
 *   - the current intent's delivery log as LIQX kept it (each attempt's status and the wait that followed),
 *   - "Redeliver" per event (LIQX sends it once more with the same webhook-id: the store keeps it once),
 *   - "Reconcile since…": the kit's `reconcile` pulls every event since then and stores what the store lacks,
 *   - the quarantine: verified webhooks the kit could not read (answered 202, kept whole), each with "Replay"
 *     (the installed kit) and, demo only, "Replay with the next kit" (one that reads the demo's unknown type).
 * Closed by default (a disclosure button, not a <details>: the page's tests find the diagnostics panel's own
 * <summary> by tag, and Playwright's CSS reaches into this shadow root), so the panel looks as before until the
 * section is opened. Self-contained like
 * the sample-webhook sender beside it: its own shadow root and adopted styles, coloured by the page's tokens.
 */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { fetchDeliveries, reconcileSince, redeliverEvent, type DeliveryAttempt, type ReconcileResult, type RecoveryResult } from '../api.js';
import { formatClock } from '../format.js';
import { fetchQuarantine, replayQuarantined, sendUnknownTypeSample, type CallResult, type QuarantineList, type QuarantinedRow, type ReplayOutcome, type SentSample } from '../quarantine.js';

/** The "since" choices: ages back from now, so no date has to be typed or read in a time zone. */
export const RECONCILE_AGES = [
  { id: '15m', label: 'the last 15 minutes', ms: 15 * 60_000 },
  { id: '1h', label: 'the last hour', ms: 3600_000 },
  { id: '24h', label: 'the last 24 hours', ms: 24 * 3600_000 },
  { id: '7d', label: 'the last 7 days', ms: 7 * 24 * 3600_000 },
] as const;

type Pending<T> = { state: 'running' } | { state: 'done'; result: RecoveryResult<T> };

/** A log row is written when its attempt starts; it is finished once it has an HTTP status or an error. */
const finished = (d: DeliveryAttempt) => d.http_status !== null || d.error !== null;

export function formatWait(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 2 * 3600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3600_000).toFixed(1)} h`;
}

/** One attempt's outcome in words: HTTP status, network error, or still in flight. */
function outcome(d: DeliveryAttempt): string {
  if (d.http_status !== null) return `HTTP ${d.http_status}${d.ok ? '' : d.retry_after_ms !== null ? ` (Retry-After ${formatWait(d.retry_after_ms)})` : ''}`;
  return d.error ?? 'in flight';
}

/** The delivery log grouped by event (webhook-id), in the log's order. */
function byEvent(log: readonly DeliveryAttempt[]): { id: string; type: string; attempts: DeliveryAttempt[] }[] {
  const events = new Map<string, { id: string; type: string; attempts: DeliveryAttempt[] }>();
  for (const d of log) {
    const event = events.get(d.webhook_id) ?? { id: d.webhook_id, type: d.event_type, attempts: [] };
    event.attempts.push(d);
    events.set(d.webhook_id, event);
  }
  return [...events.values()];
}

export class CrmRecoveryPanel extends LitElement {
  static override styles = css`
    :host { display: block; margin-top: 1rem; padding-top: 1rem; border-top: 1px solid var(--border, #e2e8f0); color: var(--text, #0f172a); }
    h3 { margin: 0; font-size: 1rem; }
    button.toggle {
      display: flex; align-items: center; gap: 0.6rem; width: 100%; padding: 0.25rem 0; border: 0; background: none;
      font-size: 1rem; font-weight: 650; color: var(--text, #0f172a); text-align: left;
    }
    button.toggle:hover:not(:disabled) { background: none; }
    button.toggle::before {
      content: ''; width: 8px; height: 8px; border-right: 2px solid var(--muted, #5b6b80); border-bottom: 2px solid var(--muted, #5b6b80);
      transform: rotate(-45deg); transition: transform 0.15s ease; flex: none;
    }
    button.toggle[aria-expanded='true']::before { transform: rotate(45deg); }
    .toggle .sub { font-weight: 400; color: var(--muted, #5b6b80); font-size: 0.875rem; }
    [hidden] { display: none !important; }
    h4 { margin: 1rem 0 0.25rem; font-size: 0.95rem; }
    p { margin: 0 0 0.6rem; color: var(--text-2, #4a5568); font-size: 0.875rem; }
    .row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
    .event { border: 1px solid var(--border, #dde3ec); border-radius: var(--radius-sm, 8px); padding: 0.75rem; margin-top: 0.6rem; display: grid; gap: 0.5rem; }
    .event .row { justify-content: space-between; }
    button, select {
      font: inherit; font-size: 0.875rem; padding: 0.4rem 0.8rem; border-radius: var(--radius-sm, 8px);
      border: 1px solid var(--border-strong, #c3ccd9); background: var(--surface, #fff); color: var(--text, #0f172a);
    }
    button { font-weight: 600; color: var(--accent, #2352d8); cursor: pointer; }
    button:hover:not(:disabled) { background: var(--surface-2, #f3f6fa); }
    button:disabled { opacity: 0.6; cursor: progress; }
    button:focus-visible, select:focus-visible { outline: 2px solid var(--accent, #2352d8); outline-offset: 2px; }
    label { font-size: 0.875rem; color: var(--text-2, #4a5568); }
    .muted { color: var(--muted, #5b6b80); }
    code { font-family: var(--mono, ui-monospace, monospace); font-size: 0.8125rem; word-break: break-all; }
    .scroll { overflow-x: auto; border: 1px solid var(--border, #e2e8f0); border-radius: var(--radius-sm, 8px); }
    table { width: 100%; border-collapse: collapse; font-size: 0.8125rem; }
    th { text-align: left; font-weight: 650; color: var(--text-2, #334155); background: var(--surface-2, #f8fafc); }
    th, td { padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--border, #e2e8f0); white-space: nowrap; }
    tr:last-child td { border-bottom: 0; }
    th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
    .result { font-size: 0.8125rem; }
    [data-tone='ok'] { color: var(--success, #17693a); }
    [data-tone='bad'] { color: var(--danger, #b42318); }
    .counts { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; margin: 0.5rem 0 0; padding: 0; list-style: none; font-size: 0.875rem; }
    .counts strong { font-variant-numeric: tabular-nums; }
  `;

  /** The current run's intent, or null before one was created. */
  @property({ attribute: false }) intentId: string | null = null;
  @state() private open = false;
  @state() private log: Pending<{ deliveries: DeliveryAttempt[] }> | null = null;
  @state() private redeliveries: Record<string, Pending<DeliveryAttempt>> = {};
  @state() private age: (typeof RECONCILE_AGES)[number]['id'] = '1h';
  @state() private reconciled: Pending<ReconcileResult> | null = null;
  @state() private quarantine: { state: 'running' } | { state: 'done'; result: CallResult<QuarantineList> } | null = null;
  @state() private replays: Record<string, { state: 'running' } | { state: 'done'; result: CallResult<ReplayOutcome> }> = {};
  @state() private sample: { state: 'running' } | { state: 'done'; result: CallResult<SentSample> } | null = null;
  #loads = 0;
  #quarantineLoads = 0;

  /** Reads the quarantine (all of it, newest first: replayed rows stay listed with their time). */
  async refreshQuarantine(): Promise<void> {
    const load = ++this.#quarantineLoads;
    if (this.quarantine?.state !== 'done') this.quarantine = { state: 'running' };
    const result = await fetchQuarantine(false);
    if (load === this.#quarantineLoads) this.quarantine = { state: 'done', result };
  }

  async replay(row: QuarantinedRow, kit: 'installed' | 'next'): Promise<void> {
    const key = `${row.provider}:${row.webhook_id}`;
    this.replays = { ...this.replays, [key]: { state: 'running' } };
    const result = await replayQuarantined(row, kit);
    this.replays = { ...this.replays, [key]: { state: 'done', result } };
    await this.refreshQuarantine();
  }

  async sendUnknownType(): Promise<void> {
    this.sample = { state: 'running' };
    this.sample = { state: 'done', result: await sendUnknownTypeSample() };
    await this.refreshQuarantine();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    // A new run is another intent: its log replaces the old one, and the old one's redelivery results go.
    if (changed.has('intentId') && changed.get('intentId') !== undefined) {
      this.redeliveries = {};
      this.log = null;
      if (this.open) void this.refresh();
    }
  }

  /** Reads the current intent's delivery log; a slower earlier read never overwrites a later one. */
  async refresh(): Promise<void> {
    const intentId = this.intentId;
    if (!intentId) return;
    const load = ++this.#loads;
    this.log = this.log?.state === 'done' ? this.log : { state: 'running' };
    const result = await fetchDeliveries(intentId);
    if (load === this.#loads && intentId === this.intentId) this.log = { state: 'done', result };
  }

  async redeliver(eventId: string): Promise<void> {
    this.redeliveries = { ...this.redeliveries, [eventId]: { state: 'running' } };
    const result = await redeliverEvent(eventId);
    this.redeliveries = { ...this.redeliveries, [eventId]: { state: 'done', result } };
    await this.refresh();
  }

  async reconcile(): Promise<void> {
    const age = RECONCILE_AGES.find((a) => a.id === this.age)!;
    this.reconciled = { state: 'running' };
    const result = await reconcileSince(new Date(Date.now() - age.ms));
    this.reconciled = { state: 'done', result };
    this.dispatchEvent(new CustomEvent('recovery-reconciled', { detail: result, bubbles: true, composed: true }));
    if (this.intentId) await this.refresh();
  }

  #onToggle = () => {
    this.open = !this.open;
    if (this.open) {
      void this.refresh();
      void this.refreshQuarantine();
    }
  };

  #replayResult(row: QuarantinedRow) {
    const r = this.replays[`${row.provider}:${row.webhook_id}`];
    if (!r) return nothing;
    if (r.state === 'running') return html`<div class="result" role="status">Replaying…</div>`;
    if (!r.result.ok) return html`<div class="result" data-tone="bad" role="status">Replay failed: ${r.result.error.code}: ${r.result.error.message}</div>`;
    const x = r.result.body;
    if (x.outcome === 'invalid') {
      return html`<div class="result" data-tone="bad" role="status" data-testid="replay-result" data-outcome="invalid">
        Still unreadable by this kit (${x.error_code}): ${x.issues.map((i, n) => html`${n ? '; ' : ''}<code>${i.path}</code>`)}. It stays in the quarantine.
      </div>`;
    }
    return html`<div class="result" data-tone="ok" role="status" data-testid="replay-result" data-outcome=${x.outcome}>
      ${x.outcome === 'inserted' ? 'Stored as a receipt' : 'Already stored (a replay makes one receipt)'}: <code>${x.receipt_webhook_id}</code>, ${x.status}
    </div>`;
  }

  #quarantineView() {
    const q = this.quarantine;
    const sent = this.sample;
    const sampleView =
      !sent ? nothing
      : sent.state === 'running' ? html`<p role="status">Sending…</p>`
      : !sent.result.ok ? html`<p class="result" data-tone="bad" role="status">Send failed: ${sent.result.error.code}: ${sent.result.error.message}</p>`
      : html`<p class="result" role="status" data-testid="unknown-type-sent">The endpoint answered HTTP ${sent.result.body.http_status}${
          typeof sent.result.body.response === 'object' && sent.result.body.response.quarantined ? ' (quarantined: kept, so LIQX stops retrying)' : ''
        }.</p>`;
    let list;
    if (!q || q.state === 'running') list = html`<p role="status">Reading the quarantine…</p>`;
    else if (!q.result.ok) list = html`<p class="result" data-tone="bad" role="status">Quarantine read failed: ${q.result.error.code}: ${q.result.error.message}</p>`;
    else if (!q.result.body.rows.length) list = html`<p data-testid="quarantine-empty">Nothing quarantined: every verified webhook so far was readable.</p>`;
    else {
      list = q.result.body.rows.map((row) => {
        const running = this.replays[`${row.provider}:${row.webhook_id}`]?.state === 'running';
        return html`<div class="event" data-testid="quarantined" data-webhook-id=${row.webhook_id} data-replayed=${String(row.replayed_at !== null)}>
          <div class="row">
            <span><code>${row.provider}</code> <code>${row.event_type ?? '(no type)'}</code> <code class="muted">${row.webhook_id}</code></span>
            <span class="row">
              <button type="button" ?disabled=${running} @click=${() => this.replay(row, 'installed')} data-testid="replay">Replay</button>
              <button type="button" ?disabled=${running} @click=${() => this.replay(row, 'next')} data-testid="replay-next">Replay with the next kit (demo)</button>
            </span>
          </div>
          <p>Received ${formatClock(row.received_at)}, ${row.body_bytes} bytes kept. ${row.error_code}: ${row.issues.map((i, n) => html`${n ? '; ' : ''}<code>${i.path}</code> ${i.message}`)}</p>
          <p data-tone=${row.replayed_at ? 'ok' : nothing}>${row.replayed_at ? `Replayed ${formatClock(row.replayed_at)}.` : 'Waiting for a replay.'}</p>
          ${this.#replayResult(row)}
        </div>`;
      });
    }
    return html`${sampleView}${list}`;
  }

  #logView() {
    if (!this.intentId) return html`<p data-testid="recovery-log-empty">Create a PAYOUT reservation to see how LIQX delivered its webhooks.</p>`;
    const log = this.log;
    if (!log || log.state === 'running') return html`<p role="status">Reading the delivery log…</p>`;
    if (!log.result.ok) return html`<p class="result" data-tone="bad" role="status">Delivery log read failed: ${log.result.error.code}: ${log.result.error.message}</p>`;
    const events = byEvent(log.result.body.deliveries);
    if (!events.length) return html`<p data-testid="recovery-log-empty">No delivery yet for <code>${this.intentId}</code>: LIQX sends a webhook when the payout ends.</p>`;
    return events.map((event) => {
      const redelivery = this.redeliveries[event.id];
      return html`<div class="event" data-testid="recovery-event" data-event-id=${event.id}>
        <div class="row">
          <span><code>${event.type}</code> <code class="muted">${event.id}</code></span>
          <button type="button" ?disabled=${redelivery?.state === 'running'} @click=${() => this.redeliver(event.id)} data-testid="redeliver">Redeliver</button>
        </div>
        <div class="scroll" tabindex="0" role="region" aria-label=${`Delivery attempts of ${event.id}`}>
          <table>
            <thead><tr><th scope="col" class="num">attempt</th><th scope="col">trigger</th><th scope="col">started</th><th scope="col">status</th><th scope="col" class="num">took</th><th scope="col" class="num">next wait</th></tr></thead>
            <tbody>
              ${event.attempts.map(
                (d) => html`<tr data-testid="recovery-attempt" data-ok=${String(d.ok)}>
                  <td class="num">${d.attempt}</td>
                  <td>${d.trigger}</td>
                  <td>${formatClock(d.started_at)}</td>
                  <td data-tone=${d.ok ? 'ok' : finished(d) ? 'bad' : nothing}>${outcome(d)}</td>
                  <td class="num">${finished(d) ? `${d.duration_ms} ms` : '—'}</td>
                  <td class="num">${formatWait(d.next_delay_ms)}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        </div>
        ${this.#redeliveryResult(redelivery)}
      </div>`;
    });
  }

  #redeliveryResult(r: Pending<DeliveryAttempt> | undefined) {
    if (!r) return nothing;
    if (r.state === 'running') return html`<div class="result" role="status">Asking LIQX to redeliver…</div>`;
    if (!r.result.ok) return html`<div class="result" data-tone="bad" role="status">Redeliver failed: ${r.result.error.code}: ${r.result.error.message}</div>`;
    const a = r.result.body;
    return html`<div class="result" data-tone=${a.ok ? 'ok' : 'bad'} role="status" data-testid="redeliver-result">
      Attempt ${a.attempt} sent now: ${outcome(a)}${a.ok ? ' (the endpoint stores a webhook-id once: a duplicate is acknowledged, not stored again)' : ''}
    </div>`;
  }

  #reconcileView() {
    const r = this.reconciled;
    if (!r) return nothing;
    if (r.state === 'running') return html`<p role="status">Reconciling…</p>`;
    if (!r.result.ok) return html`<p class="result" data-tone="bad" role="status">Reconcile failed: ${r.result.error.code}: ${r.result.error.message}</p>`;
    const x = r.result.body;
    return html`<div role="status" data-testid="reconcile-result"><ul class="counts" aria-label="Reconcile result">
        <li>events <strong data-testid="reconcile-events">${x.events}</strong></li>
        <li data-tone=${x.inserted ? 'ok' : nothing}>inserted <strong data-testid="reconcile-inserted">${x.inserted}</strong></li>
        <li>duplicates <strong data-testid="reconcile-duplicates">${x.duplicates}</strong></li>
        <li data-tone=${x.failed.length ? 'bad' : nothing}>failed <strong data-testid="reconcile-failed">${x.failed.length}</strong></li>
      </ul></div>
      ${x.insertedIds.length ? html`<p>Stored now: ${x.insertedIds.map((id, i) => html`${i ? ', ' : ''}<code>${id}</code>`)}</p>` : nothing}
      ${x.failed.map((f) => html`<p class="result" data-tone="bad"><code>${f.eventId}</code>: ${f.code}: ${f.message}</p>`)}`;
  }

  protected override render() {
    return html`<section data-testid="recovery" aria-labelledby="recovery-title">
      <h3 id="recovery-title">
        <button type="button" class="toggle" aria-expanded=${String(this.open)} aria-controls="recovery-body" @click=${this.#onToggle} data-testid="recovery-toggle">
          Recovery <span class="sub">delivery log, redeliver, reconcile, quarantine</span>
        </button>
      </h3>
      <div id="recovery-body" ?hidden=${!this.open}>
      <h4 id="recovery-log-title">Delivery log of this run</h4>
      <p>Every attempt LIQX made for the current intent: its status and the wait before the next one.
        ${this.intentId ? html`<button type="button" @click=${() => this.refresh()} data-testid="recovery-refresh">Refresh</button>` : nothing}</p>
      ${this.#logView()}
      <h4 id="recovery-reconcile-title">Reconcile</h4>
      <p>Reads every event LIQX sent since then and stores those the receipt store lacks, once each (safe to run again).</p>
      <div class="row">
        <label for="reconcile-age">Reconcile since</label>
        <select id="reconcile-age" .value=${this.age} @change=${(e: Event) => (this.age = (e.target as HTMLSelectElement).value as typeof this.age)}>
          ${RECONCILE_AGES.map((a) => html`<option value=${a.id} ?selected=${a.id === this.age}>${a.label}</option>`)}
        </select>
        <button type="button" ?disabled=${this.reconciled?.state === 'running'} @click=${() => this.reconcile()} data-testid="reconcile">Reconcile</button>
      </div>
      ${this.#reconcileView()}
      <h4 id="recovery-quarantine-title">Quarantine</h4>
      <p>Verified webhooks this kit could not read (a type or field it does not know yet) are kept whole and answered
        202, so LIQX stops retrying. After upgrading the kit, replay them: each becomes one receipt.</p>
      <div class="row">
        <button type="button" ?disabled=${this.sample?.state === 'running'} @click=${() => this.sendUnknownType()} data-testid="send-unknown-type">Send an event this kit cannot read (demo)</button>
        <button type="button" @click=${() => this.refreshQuarantine()} data-testid="quarantine-refresh">Refresh</button>
      </div>
      ${this.#quarantineView()}
      </div>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'crm-recovery-panel': CrmRecoveryPanel;
  }
}
