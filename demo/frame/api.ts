/**
 * The frame's calls to the mock LIQX widget API (same origin). The session token goes in the
 * Authorization header only, never in a URL.
 */
import type { DeclineRequest, Failure, WidgetPayout } from '../contract/liqx.js';

export type ApiResult = { ok: true; payout: WidgetPayout } | { ok: false; status: number; code: string; message: string };

export type WidgetApi = ReturnType<typeof widgetApi>;

export function widgetApi(token: string) {
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ApiResult> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch (error) {
      return { ok: false, status: 0, code: 'NETWORK_ERROR', message: String((error as Error)?.message ?? error) };
    }
    const json = (await res.json().catch(() => null)) as (WidgetPayout & { error?: Failure }) | null;
    if (res.ok && json) return { ok: true, payout: json };
    return { ok: false, status: res.status, code: json?.error?.code ?? `HTTP_${res.status}`, message: json?.error?.message ?? res.statusText };
  }

  return {
    payout: () => call('GET', '/v1/widget/payout'),
    confirm: () => call('POST', '/v1/widget/payout/confirm'),
    decline: (req: DeclineRequest) => call('POST', '/v1/widget/payout/decline', req),
  };
}
