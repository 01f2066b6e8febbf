/**
 * The host <-> frame protocol (v1): every message that crosses the postMessage channel, as zod/mini
 * schemas. Both sides parse what they receive with these; types are inferred here and nowhere else.
 *
 * Imports only zod/mini (namespace import: the named `{ z }` import defeats tree shaking) and its zod-free neighbours
 * (wire.ts, events.ts). Every schema is a factory that builds it on its first call and returns the same one after
 * (`once`, once.ts): loading the element builds none. Call it to parse: `HelloRequest().safeParse(raw)`.
 */
import * as z from 'zod/mini';
import { once } from './once.js';
import { LOCALES, THEMES } from './wire.js';
import { EVENT_TYPES, type EventType } from './events.js';

// The zod-free half of the protocol (constants, the hello answer, the frame's own checks) is in wire.ts, so the
// frame SDK imports none of zod; everything is re-exported here, with the event types of the table.
export * from './wire.js';
export { EVENT_TYPES, type EventType } from './events.js';


// Schemas use the cheapest zod/mini checks that say the same thing: one custom check (z.refine) rather than the
// built-in minLength / maxLength / regex / iso / url / int checks, each of which adds its class to the bundle,
// and a two-step parse rather than discriminatedUnion. The script-tag bundle is size-budgeted.

/** A string of `min..max` UTF-16 units. Upper bounds keep a hostile frame from making the host allocate without limit. */
export const boundedString = (min: number, max: number) =>
  z.string().check(z.refine((s) => s.length >= min && s.length <= max, `Expected ${min}..${max} characters`));

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const id = once(() => boundedString(1, 200));
const text = once(() => boundedString(0, 2000));
const code = once(() => z.string().check(z.refine((s) => /^[A-Za-z0-9_.:-]{1,100}$/.test(s), 'Expected 1..100 of A-Z a-z 0-9 _ . : -')));
/** ISO 8601 date-time with seconds and an explicit zone (`Z` or `+09:00`), as `Date#toISOString()` writes. */
export const isoDateTime = once(() => z.string().check(
  z.refine((s) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), 'Expected an ISO 8601 date-time with a zone'),
));
/** A session token: opaque, bounded. */
export const sessionToken = once(() => boundedString(1, 4096));
const protocolVersion = once(() => z.number().check(z.refine((n) => Number.isInteger(n) && n >= 1, 'Expected an integer >= 1')));



export const Locale = once(() => z.literal(LOCALES));
export type Locale = z.infer<ReturnType<typeof Locale>>;

/** The theme the frame draws (the element resolves `auto` to one of these before sending it). */
export const Theme = once(() => z.literal(THEMES));
export type Theme = z.infer<ReturnType<typeof Theme>>;


/** `{ code, message }` as carried by PAYOUT_REJECTED and WIDGET_ERROR. */
export const Reason = once(() => z.object({ code: code(), message: text() }));
export type Reason = z.infer<ReturnType<typeof Reason>>;

/** Fields every event envelope carries so the host can match it to a webhook receipt later. */
const envelope = once(() => ({
  eventId: id(),
  sessionId: id(),
  intentId: id(),
  occurredAt: isoDateTime(),
  /**
   * Set on a terminal event the frame reports again for an intent that had already ended (a reload, a new session):
   * the same ids, not a second outcome. The host relays it once, like any terminal event.
   */
  replayed: z.optional(z.literal(true)),
}));

const emptyData = once(() => z.optional(z.object({})));

/** An event schema's factory: the envelope, the literal `type`, and that type's `data` (its factory, called with the event's). */
/*#__NO_SIDE_EFFECTS__*/
const frameEvent = <T extends EventType, D extends z.ZodMiniType>(type: T, data: () => D) =>
  once(() => z.object({ ...envelope(), type: z.literal(type), data: data() }));

/** The schema of each event type: one entry per frame event (events.ts has its row; the typecheck wants both). */
export const FRAME_EVENT_SCHEMAS = {
  PAYOUT_READY: frameEvent('PAYOUT_READY', emptyData),
  PAYOUT_SUBMITTED: frameEvent('PAYOUT_SUBMITTED', emptyData),
  PAYOUT_COMPLETED: frameEvent('PAYOUT_COMPLETED', () => z.optional(z.object({ transactionId: z.optional(id()) }))),
  PAYOUT_REJECTED: frameEvent('PAYOUT_REJECTED', () => z.object({ reason: Reason() })),
  PAYOUT_EXPIRED: frameEvent('PAYOUT_EXPIRED', emptyData),
  WIDGET_RESIZE: frameEvent('WIDGET_RESIZE', () => z.object({ height: z.number().check(z.refine((h) => h >= 0 && h <= 10_000, 'Expected 0..10000')) })),
  WIDGET_CLOSE: frameEvent('WIDGET_CLOSE', emptyData),
  WIDGET_ERROR: frameEvent('WIDGET_ERROR', () => z.object({ error: Reason() })),
} as const satisfies { [T in EventType]: () => { safeParse(raw: unknown): unknown } };

/** One envelope for everything the frame reports: `{ type, eventId, sessionId, intentId, occurredAt, data }`. */
export type FrameEvent = { [T in EventType]: z.infer<ReturnType<(typeof FRAME_EVENT_SCHEMAS)[T]>> }[EventType];

const EventHead = once(() => z.object({ type: z.literal(EVENT_TYPES) }));

export type ParseResult<T> = { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };

/**
 * Parses a frame event in two steps, `type` first, then that type's schema: the issue paths point at the
 * bad field (`data.reason.code`), which a plain union cannot say, at a fraction of discriminatedUnion's size.
 */
export function parseFrameEvent(raw: unknown): ParseResult<FrameEvent> {
  const head = EventHead().safeParse(raw);
  if (!head.success) return head;
  return FRAME_EVENT_SCHEMAS[head.data.type]().safeParse(raw) as ParseResult<FrameEvent>;
}

/** The envelope of one event type, e.g. `FrameEventOf<'PAYOUT_REJECTED'>`. */
export type FrameEventOf<T extends EventType> = Extract<FrameEvent, { type: T }>;

/**
 * Frame -> host, the frame's first message on every load: who it is, which protocol it speaks, and, when the frame
 * can show the payout at once, its PAYOUT_READY event (hello and ready in one message, so ready costs no round trip
 * more than the transport's one message). Posted to the host page as `{ channel, hello }` with a MessagePort.
 */
export const HelloRequest = once(() => z.object({
  protocol: protocolVersion(),
  sessionId: id(),
  ready: z.optional(FRAME_EVENT_SCHEMAS.PAYOUT_READY()),
}));
export type HelloRequest = z.infer<ReturnType<typeof HelloRequest>>;

/** Flattens zod issues to `path: message` strings for diagnostics (`data.reason.code: Invalid input`). */
export function issuePaths(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}
