/**
 * One "Create PAYOUT reservation" run: what was sent, what the proxy answered, what the widget reported, and the
 * durable receipt once read back. Plain data; the app component replaces it immutably so Lit re-renders.
 */
import type { WidgetState } from '../../src/element/events.js';
import type { CreateResult, PayoutRequest, ReceiptRow, Scenario } from './api.js';
import type { RunKey } from './receipt-match.js';

export type LogTone = 'info' | 'success' | 'danger' | 'warning';

/** One line of the widget panel's event log: which SDK callback fired for which frame event. */
export interface WidgetLogEntry {
  seq: number;
  at: number;
  callback: string;
  type: string;
  text: string;
  /** An id the text refers to, shown as code after it (monospace: a line's width does not depend on the id). */
  code?: string;
  tone: LogTone;
}

export interface Run {
  id: number;
  scenario: Scenario | null;
  request: PayoutRequest;
  sentAt: number;
  result: CreateResult | null;
  respondedAt: number | null;
  widgetState: WidgetState;
  widgetLog: WidgetLogEntry[];
  receipt: ReceiptRow | null;
  /** When the proof query last answered, so the page can say "checked 2 s ago". */
  receiptCheckedAt: number | null;
  receiptError: string | null;
}

export function newRun(id: number, request: PayoutRequest, scenario: Scenario | null, now = Date.now()): Run {
  return {
    id, request, scenario, sentAt: now, result: null, respondedAt: null, widgetState: 'idle', widgetLog: [],
    receipt: null, receiptCheckedAt: null, receiptError: null,
  };
}

/** What identifies the run's receipts: the intent once LIQX created one, else the external_ref the proxy used. */
export function runKey(run: Run | null): RunKey {
  const result = run?.result;
  if (!run || !result) return { intentId: null, externalRef: null };
  if (result.kind === 'created') return { intentId: result.body.intent_id, externalRef: result.body.external_ref };
  if (result.kind === 'upstream') {
    return { intentId: result.body.intent_id ?? null, externalRef: result.body.external_ref ?? run.request.external_ref ?? null };
  }
  return { intentId: null, externalRef: null };
}

/** The webhook type the scenario promises (the proxy's answer wins over the config). */
export function expectedWebhook(run: Run | null): string | null {
  if (!run) return null;
  if (run.result?.kind === 'created') return run.result.body.expected_webhook;
  if (run.result?.kind === 'upstream') return 'transaction.failed';
  return run.scenario?.expected_webhook ?? null;
}

/** True when no receipt can follow (nothing reached LIQX). */
export function expectsNoReceipt(run: Run | null): boolean {
  return run?.result?.kind === 'invalid' || run?.result?.kind === 'network';
}

