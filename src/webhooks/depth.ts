/**
 * The nesting limit of webhook payloads. Real payout events nest three or four levels; a sender that nests
 * thousands deep is hostile or broken. Recursive code (structuredClone, canonical JSON) would die with a
 * RangeError on such a value, so every entry point measures depth first, iteratively, and refuses with a typed
 * `INVALID_PAYLOAD` instead.
 */
import { WebhookPayloadError, WebhookPayloadErrorCode } from './errors.js';

/** The deepest nesting of objects and arrays a payload may have (a top-level object is depth 1). */
export const MAX_PAYLOAD_DEPTH = 64;

/**
 * True when `value` nests objects / arrays deeper than `max`. Iterative (an explicit stack), so it is safe on any
 * depth, and it stops at the first branch over the limit. A cyclic value counts as too deep.
 */
export function exceedsDepth(value: unknown, max: number = MAX_PAYLOAD_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** Throws `INVALID_PAYLOAD` (path: the payload itself) when `value` nests deeper than {@link MAX_PAYLOAD_DEPTH}. */
export function assertPayloadDepth(value: unknown, provider: string | undefined): void {
  if (!exceedsDepth(value)) return;
  throw new WebhookPayloadError(WebhookPayloadErrorCode.INVALID_PAYLOAD, provider, [
    { path: [], message: `Payload nests deeper than ${MAX_PAYLOAD_DEPTH} levels`, code: 'too_deep' },
  ]);
}
