/**
 * The host <-> frame protocol (v1): every message that crosses the postMessage channel, as schemas (wire-schema.ts:
 * zod's names and results, none of its weight). The host parses what it receives with these; types are inferred
 * here and nowhere else.
 *
 * Imports only wire-schema.ts and its plain neighbours (wire.ts, events.ts). Every schema is a factory that builds it on its first call and returns the same one after
 * (`once`, once.ts): loading the element builds none. Call it to parse: `HelloRequest().safeParse(raw)`.
 */
import * as v from './wire-schema.js';
import { once } from './once.js';
import { LOCALES, THEMES } from './wire.js';
import { EVENT_TYPES, type EventType } from './events.js';

// The schema-free half of the protocol (constants, the hello answer, the frame's own checks) is in wire.ts, so the
// frame SDK imports no schema code; everything is re-exported here, with the event types of the table.
export * from './wire.js';
export { EVENT_TYPES, type EventType } from './events.js';


// Every bound is one custom check (v.refine) with its message, and events parse in two steps rather than as a
// union, so the issue path points at the bad field.

/** A string of `min..max` UTF-16 units. Upper bounds keep a hostile frame from making the host allocate without limit. */
export const boundedString = (min: number, max: number) =>
  v.string().check(v.refine((s) => s.length >= min && s.length <= max, `Expected ${min}..${max} characters`));

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const id = once(() => boundedString(1, 200));
const text = once(() => boundedString(0, 2000));
const code = once(() => v.string().check(v.refine((s) => /^[A-Za-z0-9_.:-]{1,100}$/.test(s), 'Expected 1..100 of A-Z a-z 0-9 _ . : -')));
/** ISO 8601 date-time with seconds and an explicit zone (`Z` or `+09:00`), as `Date#toISOString()` writes. */
export const isoDateTime = once(() => v.string().check(
  v.refine((s) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)), 'Expected an ISO 8601 date-time with a zone'),
));
/** A session token: opaque, bounded. */
export const sessionToken = once(() => boundedString(1, 4096));
const protocolVersion = once(() => v.number().check(v.refine((n) => Number.isInteger(n) && n >= 1, 'Expected an integer >= 1')));



export const Locale = once(() => v.literal(LOCALES));
export type Locale = v.infer<ReturnType<typeof Locale>>;

/** The theme the frame draws (the element resolves `auto` to one of these before sending it). */
export const Theme = once(() => v.literal(THEMES));
export type Theme = v.infer<ReturnType<typeof Theme>>;


/** `{ code, message }` as carried by PAYOUT_REJECTED and WIDGET_ERROR. */
export const Reason = once(() => v.object({ code: code(), message: text() }));
export type Reason = v.infer<ReturnType<typeof Reason>>;

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
  replayed: v.optional(v.literal(true)),
}));

const emptyData = once(() => v.optional(v.object({})));

/** An event schema's factory: the envelope, the literal `type`, and that type's `data` (its factory, called with the event's). */
/*#__NO_SIDE_EFFECTS__*/
const frameEvent = <T extends EventType, D extends v.Schema<unknown, boolean>>(type: T, data: () => D) =>
  once(() => v.object({ ...envelope(), type: v.literal(type), data: data() }));

/** The schema of each event type: one entry per frame event (events.ts has its row; the typecheck wants both). */
export const FRAME_EVENT_SCHEMAS = {
  PAYOUT_READY: frameEvent('PAYOUT_READY', emptyData),
  PAYOUT_SUBMITTED: frameEvent('PAYOUT_SUBMITTED', emptyData),
  PAYOUT_COMPLETED: frameEvent('PAYOUT_COMPLETED', () => v.optional(v.object({ transactionId: v.optional(id()) }))),
  PAYOUT_REJECTED: frameEvent('PAYOUT_REJECTED', () => v.object({ reason: Reason() })),
  PAYOUT_EXPIRED: frameEvent('PAYOUT_EXPIRED', emptyData),
  WIDGET_RESIZE: frameEvent('WIDGET_RESIZE', () => v.object({ height: v.number().check(v.refine((h) => h >= 0 && h <= 10_000, 'Expected 0..10000')) })),
  WIDGET_CLOSE: frameEvent('WIDGET_CLOSE', emptyData),
  WIDGET_ERROR: frameEvent('WIDGET_ERROR', () => v.object({ error: Reason() })),
} as const satisfies { [T in EventType]: () => { safeParse(raw: unknown): unknown } };

/** One envelope for everything the frame reports: `{ type, eventId, sessionId, intentId, occurredAt, data }`. */
export type FrameEvent = { [T in EventType]: v.infer<ReturnType<(typeof FRAME_EVENT_SCHEMAS)[T]>> }[EventType];

const EventHead = once(() => v.object({ type: v.literal(EVENT_TYPES) }));

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
export const HelloRequest = once(() => v.object({
  protocol: protocolVersion(),
  sessionId: id(),
  ready: v.optional(FRAME_EVENT_SCHEMAS.PAYOUT_READY()),
}));
export type HelloRequest = v.infer<ReturnType<typeof HelloRequest>>;

/** Flattens schema issues to `path: message` strings for diagnostics (`data.reason.code: Invalid input`). */
export function issuePaths(error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> }): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}
