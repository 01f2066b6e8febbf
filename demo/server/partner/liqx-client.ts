/**
 * The partner's LIQX API client: plain HTTP to the LIQX origin with the partner API key, the way the
 * partner would call the real service. Success bodies are parsed with the published contract; any
 * refusal is passed back raw so the proxy can show it as proof.
 */
import * as z from 'zod';
import { Intent, LiqxError, WidgetSession, type CreateIntentRequest } from '../liqx-contract.js';

export type UpstreamResult<T> =
  | { ok: true; status: number; data: T; raw: unknown }
  | { ok: false; status: number; code: string; message: string; raw: unknown };

export interface LiqxClient {
  createIntent(req: CreateIntentRequest): Promise<UpstreamResult<Intent>>;
  openWidgetSession(intentId: string): Promise<UpstreamResult<WidgetSession>>;
}

export function createLiqxClient(baseUrl: () => string, apiKey: string, timeoutMs = 10_000): LiqxClient {
  async function call<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<UpstreamResult<z.infer<S>>> {
    let res: Response;
    try {
      res = await fetch(`${baseUrl()}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      return { ok: false, status: 502, code: 'UPSTREAM_UNAVAILABLE', message: `LIQX could not be reached: ${(error as Error).message}`, raw: null };
    }
    const text = await res.text();
    let raw: unknown = text;
    try {
      raw = JSON.parse(text);
    } catch {
      // Not JSON: keep the text as the raw proof.
    }
    if (!res.ok) {
      const err = LiqxError.safeParse(raw);
      return err.success
        ? { ok: false, status: res.status, code: err.data.error.code, message: err.data.error.message, raw }
        : { ok: false, status: res.status, code: 'UPSTREAM_ERROR', message: `LIQX answered HTTP ${res.status}.`, raw };
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) return { ok: false, status: 502, code: 'UPSTREAM_INVALID_RESPONSE', message: 'LIQX answered with a body that does not match its contract.', raw };
    return { ok: true, status: res.status, data: parsed.data, raw };
  }

  return {
    createIntent: (req) => call('/v1/payout-intents', req, Intent),
    openWidgetSession: (intentId) => call(`/v1/payout-intents/${encodeURIComponent(intentId)}/widget-sessions`, {}, WidgetSession),
  };
}
