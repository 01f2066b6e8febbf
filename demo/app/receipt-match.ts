/**
 * Which durable receipt proves the current run. Only a stored row for the same intent (or, when LIQX refused the
 * reservation before an intent existed for the page, the same external_ref) counts; a browser event never does.
 */
import { LIQX_EVENT_TYPES, type ReceiptRow } from './api.js';

export interface RunKey {
  intentId: string | null;
  externalRef: string | null;
}

/** Event types that end a PAYOUT intent (LIQX sends one, at the end); the proof summary waits for one of these. */
export const TERMINAL_RECEIPT_TYPES: readonly string[] = LIQX_EVENT_TYPES;

export function belongsToRun(row: ReceiptRow, run: RunKey): boolean {
  if (run.intentId && row.intent_id) return row.intent_id === run.intentId;
  return Boolean(run.externalRef && row.external_ref === run.externalRef);
}

/** The newest terminal receipt of the run (rows arrive newest first), or null. */
export function matchReceipt(rows: readonly ReceiptRow[], run: RunKey): ReceiptRow | null {
  if (!run.intentId && !run.externalRef) return null;
  const mine = rows.filter((r) => belongsToRun(r, run));
  return mine.find((r) => TERMINAL_RECEIPT_TYPES.includes(r.event_type)) ?? null;
}

/** True when the receipt is the proof the scenario promised (e.g. transaction.completed with phase PAYOUT). */
export function isExpectedReceipt(row: ReceiptRow, expectedType: string | null): boolean {
  if (!expectedType) return false;
  if (row.event_type !== expectedType) return false;
  return row.event_type !== 'transaction.completed' || (row.phase ?? '').toUpperCase() === 'PAYOUT';
}
