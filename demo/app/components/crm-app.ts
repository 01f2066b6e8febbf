import { html, nothing } from 'lit';
import { state } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import type { WidgetHandlers } from './widget-panel.js';
import type { FormChange } from './request-form.js';
import type { FlowStep, HistoryFilters, HistoryView } from './diagnostics-panel.js';
import { RECEIPT_PROVIDERS, createPayout, fetchConfig, fetchReceipts, type DemoConfig, type ReceiptQuery } from '../api.js';
import { transition, type FlowEvent, type FlowState } from '../flow-machine.js';
import { ReceiptsPoller } from '../receipts-poller.js';
import { matchReceipt } from '../receipt-match.js';
import { DEFAULT_FORM, fieldProblems, toPayoutRequest, type RequestForm } from '../request-contract.js';
import { proofSteps } from '../proof-steps.js';
import { expectsNoReceipt, newRun, runKey, type LogTone, type Run } from '../run.js';

/** How often durable receipts are read (the seed's "every 3s"), and how many rows one read may return. */
export const POLL_INTERVAL_MS = 3000;
export const RECEIPT_LIMIT = 20;
const BURST_DELAYS_MS = [400, 1200];
/** Intent statuses that are already final in a 201 (nothing for the widget to do). */
const TERMINAL_INTENT_STATUSES = new Set(['completed', 'failed', 'expired', 'rejected', 'cancelled', 'canceled']);
/** The ids the proxy filled in for the last run (blank external_ref / external_user_id). */
function assignedIds(run: Run | null): { external_ref?: string; external_user_id?: string } {
  const r = run?.result;
  if (r?.kind === 'created') return { external_ref: r.body.external_ref, external_user_id: r.body.external_user_id };
  if (r?.kind === 'upstream' && r.body.external_ref) return { external_ref: r.body.external_ref };
  return {};
}
const EMPTY_FILTERS: HistoryFilters = { provider: '', intent_id: '', external_ref: '', type: '', status: '' };

/**
 * The Partner CRM simulator: owns the run, the flow state, the poller and the filters, and hands plain data to
 * the panel components. Everything the page knows about a payout flows through here, so panels cannot disagree.
 */
export class CrmApp extends LightElement {
  @state() private config: DemoConfig | null = null;
  @state() private configError: string | null = null;
  @state() private form: RequestForm = { ...DEFAULT_FORM };
  @state() private locale: 'ko' | 'en' = 'en';
  @state() private flow: FlowState = 'idle';
  @state() private flowHistory: FlowStep[] = [{ state: 'idle', at: Date.now() }];
  @state() private run: Run | null = null;
  @state() private filters: HistoryFilters = { ...EMPTY_FILTERS };
  @state() private history: HistoryView = { rows: [], count: 0, limit: RECEIPT_LIMIT, readAt: null, error: null, source: 'latest' };
  @state() private announcement = 'Ready to create a PAYOUT intent demo run.';
  @state() private diagnosticsOpen = false;
  @state() private now = Date.now();

  #runSeq = 0;
  #logSeq = 0;
  #poller = new ReceiptsPoller({ intervalMs: POLL_INTERVAL_MS, read: (signal) => this.#poll(signal) });
  #clock: ReturnType<typeof setInterval> | undefined;
  #burstTimers: ReturnType<typeof setTimeout>[] = [];
  #filterDebounce: ReturnType<typeof setTimeout> | undefined;
  #configAbort: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    // Mirrored as an attribute so tests and styles can read the flow without opening the diagnostics.
    this.dataset.flowState = this.flow;
    void this.#loadConfig();
    this.#poller.start();
    // Session expiry is shown relative to now; one tick a second is enough.
    this.#clock = setInterval(() => (this.now = Date.now()), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#poller.stop();
    this.#configAbort?.abort();
    clearInterval(this.#clock);
    clearTimeout(this.#filterDebounce);
    this.#burstTimers.forEach(clearTimeout);
  }

  async #loadConfig(): Promise<void> {
    this.#configAbort = new AbortController();
    try {
      const config = await fetchConfig(this.#configAbort.signal);
      this.config = config;
      this.configError = null;
      if (!config.scenarios.some((s) => s.id === this.form.scenario) && config.scenarios[0]) {
        this.form = { ...this.form, scenario: config.scenarios[0].id };
      }
    } catch (error) {
      if (this.#configAbort.signal.aborted) return;
      this.configError = String((error as Error)?.message ?? error);
    }
  }

  #scenario(id: string) {
    return this.config?.scenarios.find((s) => s.id === id) ?? null;
  }

  #send(event: FlowEvent): void {
    const next = transition(this.flow, event);
    if (next === this.flow) return;
    this.flow = next;
    this.flowHistory = next === 'creating' ? [...this.flowHistory.filter((s) => s.state === 'idle'), { state: next, at: Date.now() }] : [...this.flowHistory, { state: next, at: Date.now() }];
    this.dataset.flowState = next;
  }

  #updateRun(id: number, patch: (run: Run) => Partial<Run>): void {
    if (!this.run || this.run.id !== id) return;
    this.run = { ...this.run, ...patch(this.run) };
  }

  async #submit(): Promise<void> {
    if (this.flow === 'creating') return;
    const request = toPayoutRequest(this.form);
    const run = newRun(++this.#runSeq, request, this.#scenario(request.scenario));
    this.run = run;
    this.#send({ type: 'SUBMIT' });
    this.announcement = `Creating a PAYOUT reservation for ${run.scenario?.label ?? request.scenario}.`;
    const result = await createPayout(request);
    if (this.run?.id !== run.id) return;
    this.#updateRun(run.id, () => ({ result, respondedAt: Date.now(), widgetState: result.kind === 'created' ? 'loading' : 'idle' }));
    if (result.kind === 'created') {
      this.#send({ type: 'CREATED', terminal: TERMINAL_INTENT_STATUSES.has(result.body.status.toLowerCase()) });
      this.announcement = `LIQX accepted the reservation: intent ${result.body.intent_id}, status ${result.body.status}. Opening the widget.`;
    } else {
      this.#send({ type: 'CREATE_FAILED' });
      this.announcement = result.kind === 'network'
        ? 'The demo proxy could not be reached.'
        : `The reservation failed: ${result.body.error.code}. ${result.body.error.message}`;
    }
    this.#pollBurst();
  }

  /**
   * Right after a local outcome the webhook is typically a few hundred ms away: read now and twice more soon,
   * then fall back to the 3 s cadence, rather than leave the user waiting up to a full interval.
   */
  #pollBurst(): void {
    this.#burstTimers.forEach(clearTimeout);
    this.#poller.pollNow();
    this.#burstTimers = BURST_DELAYS_MS.map((ms) => setTimeout(() => this.#poller.pollNow(), ms));
  }

  /** Callbacks for one run's widget element: they log, move the flow, and are inert once another run started. */
  #handlersFor(runId: number): WidgetHandlers {
    const log = (callback: string, type: string, text: string, tone: LogTone, code?: string) =>
      this.#updateRun(runId, (r) => ({ widgetLog: [...r.widgetLog, { seq: ++this.#logSeq, at: Date.now(), callback, type, text, tone, code }] }));
    const terminal = (message: string) => {
      if (this.run?.id !== runId) return;
      this.#send({ type: 'WIDGET_TERMINAL' });
      this.announcement = `${message} Waiting for the durable webhook receipt.`;
      this.#pollBurst();
    };
    return {
      onReady: () => log('onReady', 'PAYOUT_READY', 'The LIQX frame is connected and shows the payout.', 'info'),
      onPayoutSubmitted: () => log('onPayoutSubmitted', 'PAYOUT_SUBMITTED', 'The user confirmed; LIQX is processing.', 'info'),
      onPayoutCompleted: (d) => {
        log('onPayoutCompleted', 'PAYOUT_COMPLETED', `Completed; local evidence only.${d.transactionId ? ' Transaction' : ''}`, 'success', d.transactionId);
        terminal('The widget reported PAYOUT_COMPLETED.');
      },
      onPayoutRejected: (d) => {
        log('onPayoutRejected', 'PAYOUT_REJECTED', `${d.reason.code}: ${d.reason.message}`, 'danger');
        terminal(`The widget reported PAYOUT_REJECTED (${d.reason.code}).`);
      },
      onPayoutExpired: () => {
        log('onPayoutExpired', 'PAYOUT_EXPIRED', 'The payout session expired before the user confirmed.', 'warning');
        terminal('The widget reported PAYOUT_EXPIRED.');
      },
      onError: (d) => {
        log('onError', d.source === 'frame' ? 'WIDGET_ERROR' : 'liqx-error', `${d.code}: ${d.message}`, 'danger');
        terminal(`The widget reported an error (${d.code}).`);
      },
      onStateChange: (d) => this.#updateRun(runId, () => ({ widgetState: d.state })),
    };
  }

  #handlersCache: { runId: number; handlers: WidgetHandlers } | null = null;
  #handlers(run: Run | null): WidgetHandlers | null {
    if (!run) return null;
    // The same object per run, so re-renders do not reassign the element's callbacks.
    if (this.#handlersCache?.runId !== run.id) this.#handlersCache = { runId: run.id, handlers: this.#handlersFor(run.id) };
    return this.#handlersCache.handlers;
  }

  #historyQuery(): { query: ReceiptQuery; source: HistoryView['source'] } {
    const f = this.filters;
    if (f.provider || f.intent_id.trim() || f.external_ref.trim() || f.type || f.status.trim()) {
      return { query: { limit: RECEIPT_LIMIT, ...f }, source: 'filters' };
    }
    const key = runKey(this.run);
    if (key.intentId) return { query: { limit: RECEIPT_LIMIT, provider: 'liqx', intent_id: key.intentId }, source: 'run' };
    if (key.externalRef) return { query: { limit: RECEIPT_LIMIT, provider: 'liqx', external_ref: key.externalRef }, source: 'run' };
    return { query: { limit: RECEIPT_LIMIT }, source: 'latest' };
  }

  /** One poll: the proof read for the current run (until matched) and the diagnostics table read. */
  async #poll(signal: AbortSignal): Promise<void> {
    const run = this.run;
    const key = runKey(run);
    const wantProof = Boolean(run && !run.receipt && !expectsNoReceipt(run) && (key.intentId || key.externalRef));
    // Only a LIQX receipt proves a LIQX payout (another provider's row may carry the same external_ref).
    const proofQuery: ReceiptQuery = key.intentId
      ? { limit: RECEIPT_LIMIT, provider: 'liqx', intent_id: key.intentId }
      : { limit: RECEIPT_LIMIT, provider: 'liqx', external_ref: key.externalRef ?? '' };
    const { query, source } = this.#historyQuery();
    const same = wantProof && JSON.stringify(query) === JSON.stringify(proofQuery);

    const [historyResult, proofResult] = await Promise.allSettled([
      fetchReceipts(query, signal),
      wantProof && !same ? fetchReceipts(proofQuery, signal) : Promise.resolve(null),
    ]);
    if (signal.aborted) return;
    const readAt = Date.now();
    this.history = historyResult.status === 'fulfilled'
      ? { rows: historyResult.value.rows, count: historyResult.value.count ?? historyResult.value.rows.length, limit: historyResult.value.limit ?? RECEIPT_LIMIT, readAt, error: null, source }
      : { ...this.history, error: String((historyResult.reason as Error)?.message ?? historyResult.reason), source };

    if (!run || !wantProof || this.run?.id !== run.id) return;
    const proof = same ? historyResult : proofResult;
    if (proof.status === 'rejected') {
      this.#updateRun(run.id, () => ({ receiptError: String((proof.reason as Error)?.message ?? proof.reason), receiptCheckedAt: readAt }));
      return;
    }
    const rows = proof.value?.rows ?? [];
    const match = matchReceipt(rows, key);
    this.#updateRun(run.id, () => ({ receipt: match, receiptCheckedAt: readAt, receiptError: null }));
    if (match) {
      this.#send({ type: 'RECEIPT_MATCHED' });
      this.announcement = `Durable receipt stored: ${match.event_type}${match.phase ? ` (phase ${match.phase})` : ''}, ${match.attempts} delivery attempt${match.attempts === 1 ? '' : 's'}.`;
    }
  }

  #onFormChange = (e: CustomEvent<FormChange>) => {
    const { field, value } = e.detail;
    if (field === 'locale') this.locale = value === 'ko' ? 'ko' : 'en';
    else this.form = { ...this.form, [field]: value };
  };

  #onFormReset = () => {
    this.form = { ...DEFAULT_FORM, scenario: this.form.scenario };
  };

  #onFilterChange = (e: CustomEvent<{ name: keyof HistoryFilters; value: string }>) => {
    const next = { ...this.filters, [e.detail.name]: e.detail.value };
    // An event type of another provider would match nothing: narrowing the provider clears it.
    const provider = RECEIPT_PROVIDERS.find((p) => p.id === next.provider);
    if (provider && next.type && !(provider.eventTypes as readonly string[]).includes(next.type)) next.type = '';
    this.filters = next;
    clearTimeout(this.#filterDebounce);
    this.#filterDebounce = setTimeout(() => this.#poller.pollNow(), 250);
  };

  #onFiltersClear = () => {
    this.filters = { ...EMPTY_FILTERS };
    this.#poller.pollNow();
  };

  protected override render() {
    const run = this.run;
    const scenarios = this.config?.scenarios ?? [];
    const scenario = this.#scenario(this.form.scenario);
    const busy = this.flow === 'creating';
    const serverIssues = run?.result?.kind === 'invalid' ? run.result.body.error.issues ?? [] : [];
    const summaryState = !run ? 'draft ready' : busy ? 'sending' : 'sent';
    return html`
      <p class="visually-hidden" role="status" aria-live="polite" data-testid="announcer">${this.announcement}</p>
      ${this.configError
        ? html`<p class="callout banner" data-tone="danger" role="alert">Could not load the demo configuration (${this.configError}). Is <code>npm run demo</code> running?</p>`
        : nothing}
      <section class="proof" aria-label="Proof progress">
        <crm-proof-stepper .steps=${proofSteps(run)}></crm-proof-stepper>
      </section>
      <div class="layout"
        @form-change=${this.#onFormChange}
        @form-submit=${() => void this.#submit()}
        @form-reset=${this.#onFormReset}
        @filter-change=${this.#onFilterChange}
        @filters-clear=${this.#onFiltersClear}
        @diagnostics-toggle=${(e: CustomEvent<boolean>) => (this.diagnosticsOpen = e.detail)}
      >
        <div class="column column-request">
          <crm-request-form .form=${this.form} .scenarios=${scenarios} .problems=${fieldProblems(this.form)} .serverIssues=${serverIssues} .locale=${this.locale} ?busy=${busy}></crm-request-form>
          <crm-request-summary .form=${this.form} .scenario=${scenario} stateLabel=${summaryState} .assigned=${assignedIds(run)}></crm-request-summary>
        </div>
        <div class="column column-proof">
          <crm-response-proof .run=${run} .now=${this.now}></crm-response-proof>
          <crm-webhook-proof .run=${run}></crm-webhook-proof>
          <crm-widget-panel .run=${run} .handlers=${this.#handlers(run)} locale=${this.locale}></crm-widget-panel>
        </div>
        <crm-diagnostics-panel
          class="column-full"
          .scenarios=${scenarios}
          scenario=${this.form.scenario}
          .preview=${toPayoutRequest(this.form)}
          .run=${run}
          .runKey=${runKey(run)}
          .history=${this.history}
          .filters=${this.filters}
          flow=${this.flow}
          .flowHistory=${this.flowHistory}
          ?open=${this.diagnosticsOpen}
        ></crm-diagnostics-panel>
      </div>`;
  }
}
