/**
 * PostgreSQL's `text` cannot hold U+0000, which JSON strings can carry (`"wrong\u0000account"`). The PostgreSQL
 * store keeps such values with one reversible escape, applied to every text column a payload can fill and to the
 * filter values compared with them: `\` is stored as `\\` and U+0000 as `\0`. Reads undo it, so both engines
 * return the same strings. The body itself (`payload`) is JSON text, where U+0000 only ever appears escaped.
 */

/** The columns stored escaped (every text column but the provider, the status, the timestamps and the payload). */
export const ESCAPED_COLUMNS = ['event_id', 'event_type', 'intent_id', 'external_ref', 'owner', 'phase', 'reference', 'currency', 'failure_code', 'failure_message'] as const;

export function escapeText(value: string): string;
export function escapeText(value: string | null): string | null;
export function escapeText(value: string | null): string | null {
  if (value === null || !/[\\\0]/.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\0/g, '\\0');
}

export function unescapeText(value: string): string;
export function unescapeText(value: string | null): string | null;
export function unescapeText(value: string | null): string | null {
  if (value === null || !value.includes('\\')) return value;
  return value.replace(/\\([\\0])/g, (_, c: string) => (c === '0' ? '\0' : '\\'));
}
