/**
 * The Recovery panel's calls to the partner proxy's quarantine routes (demo/server/partner/quarantine.ts): list the
 * verified webhooks the kit could not read, replay one, and (demo only) send a LIQX event of a type the installed
 * kit does not know. Every call resolves a typed result, never throws: a network failure is `NETWORK_ERROR`.
 */
import type { WebhookProvider } from '../../src/webhooks/internal.js';
import type { ApiIssue, RecoveryResult } from './api.js';

/** One kept delivery, as the proxy lists it (its body as text). */
export interface QuarantinedRow {
  provider: WebhookProvider;
  webhook_id: string;
  event_type: string | null;
  error_code: string;
  issues: ApiIssue[];
  headers: Record<string, string>;
  body: string;
  body_bytes: number;
  received_at: string;
  replayed_at: string | null;
}

export interface QuarantineList {
  rows: QuarantinedRow[];
  next_cursor: string | null;
}

/** The kit's ReplayResult (minus `not_found`, which the proxy answers 404). */
export type ReplayOutcome =
  | { outcome: 'inserted' | 'duplicate'; provider: string; webhook_id: string; receipt_webhook_id: string; status: string }
  | { outcome: 'invalid'; provider: string; webhook_id: string; error_code: string; issues: ApiIssue[] };

/** What the sample sender answers: the endpoint's status and body. */
export interface SentSample {
  http_status: number;
  response: { quarantined?: boolean; webhook_id?: string; error?: { code: string } } | string;
}

/** The Recovery panel's one result type: the body, or the proxy's error body's `error` (ApiErrorBody['error']). */
export type CallResult<T> = RecoveryResult<T>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function call<T>(url: string, body: unknown, isBody: (v: Record<string, unknown>) => boolean): Promise<CallResult<T>> {
  let res: Response;
  try {
    res = await fetch(
      url,
      body === undefined
        ? { headers: { accept: 'application/json' } }
        : { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) },
    );
  } catch (error) {
    return { ok: false, httpStatus: 0, error: { code: 'NETWORK_ERROR', message: String((error as Error)?.message ?? error) } };
  }
  let raw: unknown = null;
  try {
    raw = await res.json();
  } catch {
    // not JSON: reported below as the HTTP status
  }
  if (res.ok && isObject(raw) && isBody(raw)) return { ok: true, body: raw as T };
  const error = isObject(raw) && isObject(raw.error) && typeof raw.error.code === 'string' ? raw.error : null;
  return {
    ok: false,
    httpStatus: res.status,
    error: error ? { code: error.code as string, message: String(error.message ?? '') } : { code: 'UNEXPECTED_RESPONSE', message: `HTTP ${res.status}` },
  };
}

/** The quarantine, newest first; `pending` keeps only what waits for a replay. */
export const fetchQuarantine = (pending: boolean) =>
  call<QuarantineList>(`/api/webhooks/quarantine?${new URLSearchParams({ pending: String(pending), limit: '20' })}`, undefined, (v) => Array.isArray(v.rows));

/** Replays one kept delivery: with the installed kit, or (demo only) with the next kit version. */
export const replayQuarantined = (row: Pick<QuarantinedRow, 'provider' | 'webhook_id'>, kit: 'installed' | 'next') =>
  call<ReplayOutcome>('/api/webhooks/quarantine/replay', { provider: row.provider, webhook_id: row.webhook_id, kit }, (v) => typeof v.outcome === 'string');

/** DEMO ONLY: the demo signs a LIQX event of a type the installed kit does not know and posts it to its endpoint. */
export const sendUnknownTypeSample = () =>
  call<SentSample>('/api/demo/sample-webhook', { provider: 'liqx', unknown_type: true }, (v) => typeof v.http_status === 'number');
