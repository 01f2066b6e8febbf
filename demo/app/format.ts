/** Display formatting for the host page: KRW, USDT, times, and Korean text marking. */

const krw = new Intl.NumberFormat('ko-KR', { style: 'currency', currency: 'KRW', maximumFractionDigits: 0 });
// USDT is not an ISO 4217 code, so Intl cannot format it as a currency; it settles to 6 decimals.
const usdt = new Intl.NumberFormat('en-US', { minimumFractionDigits: 6, maximumFractionDigits: 6 });
const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const stamp = new Intl.DateTimeFormat('en-CA', {
  year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

function toNumber(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const trimmed = value.trim().replace(/,/g, '');
  if (!/^\d+(\.\d+)?$/.test(trimmed)) return null;
  return Number(trimmed);
}

/** `100000` -> `₩100,000`; unparseable input is shown as typed so the user sees what will be sent. */
export function formatKrw(value: string | number): string {
  const n = toNumber(value);
  return n === null ? String(value) : krw.format(n);
}

/** `75` -> `75.000000 USDT`. */
export function formatUsdt(value: string | number): string {
  const n = toNumber(value);
  return n === null ? String(value) : `${usdt.format(n)} USDT`;
}

export function formatClock(iso: string | number | Date | null | undefined): string {
  if (iso == null) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : clock.format(d);
}

export function formatTimestamp(iso: string | number | Date | null | undefined): string {
  if (iso == null) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : stamp.format(d).replace(',', '');
}

/** "in 4 min 58 s" / "expired 12 s ago", relative to `now`. */
export function formatRelative(iso: string, now = Date.now()): string {
  const ms = Date.parse(iso) - now;
  if (Number.isNaN(ms)) return '';
  const total = Math.round(Math.abs(ms) / 1000);
  const min = Math.floor(total / 60);
  const sec = total % 60;
  const span = min ? `${min} min ${sec} s` : `${sec} s`;
  return ms >= 0 ? `in ${span}` : `${span} ago`;
}

const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uAC00-\uD7AF]/;

/** The `lang` to put on a value so screen readers pronounce Korean names in Korean. */
export function langOf(text: string): 'ko' | undefined {
  return HANGUL.test(text) ? 'ko' : undefined;
}

/** Pretty JSON for the diagnostics panel. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** `PARTNER_ENDPOINT_FLAKY` -> `PARTNER ENDPOINT FLAKY`, for badges. */
export function badgeText(id: string): string {
  return id.replace(/_/g, ' ');
}

/** Copies a response with every `session_token` shortened: a diagnostics panel is no place for a bearer token. */
export function maskTokens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskTokens);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === 'session_token' && typeof v === 'string' ? `${v.slice(0, 6)}…(${v.length} chars)` : maskTokens(v)]),
  );
}
