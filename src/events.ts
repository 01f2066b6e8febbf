/**
 * The element's public DOM events, from one table. Each row names the DOM event, the frame event it relays (if
 * any), the callback property called with its detail, and the state it moves the element to. Everything else is
 * derived from the rows: the event map (`addEventListener('liqx-payout-rejected', e => e.detail.reason)` is typed),
 * the callback properties, React's event props, the JSX and Vue typings, and the events in the manifest.
 *
 * Adding a frame event: its schema in protocol.ts, one row here, one emitter in the frame SDK. Terminality is the row's
 * `kind` and nothing else: the outcome gate reads it.
 */
import type { EventType, FrameEventOf } from './protocol.js';
import type { HostErrorCode, ProtocolErrorCode } from './errors.js';

/** The element's lifecycle, reflected as the `state` attribute. */
export type WidgetState = 'idle' | 'loading' | 'ready' | 'submitted' | 'completed' | 'rejected' | 'expired' | 'error';

interface EventRow {
  /** The frame event relayed as this DOM event; null for the host's own events. */
  readonly frame: EventType | null;
  /** The element property called with the event's detail. */
  readonly callback: `on${string}`;
  /** The state the event moves the element to; null leaves it. */
  readonly state: WidgetState | null;
  /**
   * What the event is to the session: `outcome` is terminal (one per session, nothing but signals after it),
   * `progress` moves the payout on (dropped after the outcome), `signal` may come at any time (resize, close; and
   * the host's own events).
   */
  readonly kind: 'progress' | 'outcome' | 'signal';
}

export const EVENTS = {
  /** The frame is connected and shows the payout. */
  'liqx-ready': { frame: 'PAYOUT_READY', callback: 'onReady', state: 'ready', kind: 'progress' },
  /** The user confirmed; LIQX is processing. Not proof of delivery. */
  'liqx-payout-submitted': { frame: 'PAYOUT_SUBMITTED', callback: 'onPayoutSubmitted', state: 'submitted', kind: 'progress' },
  /** Terminal: LIQX reports the payout completed. Local evidence; the webhook receipt is the proof. */
  'liqx-payout-completed': { frame: 'PAYOUT_COMPLETED', callback: 'onPayoutCompleted', state: 'completed', kind: 'outcome' },
  /** Terminal: the user declined or LIQX refused the payout (PAYOUT_REJECTED), with `detail.reason { code, message }`. */
  'liqx-payout-rejected': { frame: 'PAYOUT_REJECTED', callback: 'onPayoutRejected', state: 'rejected', kind: 'outcome' },
  /** Terminal: the payout intent expired before it was confirmed. */
  'liqx-payout-expired': { frame: 'PAYOUT_EXPIRED', callback: 'onPayoutExpired', state: 'expired', kind: 'outcome' },
  /** The frame's content height changed; the element has already resized the iframe. */
  'liqx-resize': { frame: 'WIDGET_RESIZE', callback: 'onResize', state: null, kind: 'signal' },
  /** The frame asks to be closed (the user dismissed it). The host decides what to do. */
  'liqx-close': { frame: 'WIDGET_CLOSE', callback: 'onClose', state: null, kind: 'signal' },
  /** Terminal: the session failed, raised by the host or reported by the frame; see `detail.code`. */
  'liqx-error': { frame: 'WIDGET_ERROR', callback: 'onError', state: 'error', kind: 'outcome' },
  /** The `state` attribute changed. */
  'liqx-state-change': { frame: null, callback: 'onStateChange', state: null, kind: 'signal' },
  /** Diagnostic: a malformed or unexpected message from the frame was dropped. Never terminal. */
  'liqx-protocol-error': { frame: null, callback: 'onProtocolError', state: null, kind: 'signal' },
} as const satisfies Record<`liqx-${string}`, EventRow>;

export type LiqxEventName = keyof typeof EVENTS;
type Row<K extends LiqxEventName> = (typeof EVENTS)[K];

/** What every relayed frame event carries, so the host can match it to a webhook receipt. */
export interface PayoutEventDetail {
  type: EventType;
  eventId: string;
  sessionId: string;
  intentId: string;
  occurredAt: string;
  /** True on a terminal event the frame reported again for an intent that had already ended (a reload). */
  replayed?: true;
}

/** `liqx-error`: a terminal failure raised by the host (`source: 'host'`) or reported by the frame (`'frame'`). */
export interface ErrorDetail {
  code: HostErrorCode | (string & {});
  message: string;
  source: 'host' | 'frame';
  sessionId: string | null;
  intentId: string | null;
  /** Set when the frame reported the error (WIDGET_ERROR). */
  eventId?: string;
  occurredAt?: string;
  /** zod issue paths, for INVALID_SESSION and SESSION_REFRESH_FAILED. */
  issues?: string[];
}

/** `liqx-protocol-error`: a message from the frame was dropped. Diagnostic only; never terminal. */
export interface ProtocolErrorDetail {
  code: ProtocolErrorCode;
  /** The RPC method the message came through. */
  method: 'hello' | 'emit';
  message: string;
  issues: string[];
}

export interface StateChangeDetail {
  state: WidgetState;
  previous: WidgetState;
}

/** Details the host shapes itself; every other event's detail is its frame envelope, flattened. */
interface HostDetails {
  'liqx-error': ErrorDetail;
  'liqx-state-change': StateChangeDetail;
  'liqx-protocol-error': ProtocolErrorDetail;
}

/** A frame envelope flattened into a detail: `{ type, eventId, sessionId, intentId, occurredAt, ...data }`. */
type Flattened<T extends EventType> = Omit<FrameEventOf<T>, 'data'> & NonNullable<FrameEventOf<T>['data']>;

/** The detail of one event, e.g. `DetailOf<'liqx-payout-rejected'>` has `reason`. */
export type DetailOf<K extends LiqxEventName> = K extends keyof HostDetails
  ? HostDetails[K]
  : Row<K>['frame'] extends EventType
    ? Flattened<Row<K>['frame']>
    : never;

/** Every public event of the element: bubbling and composed, typed by name (`LiqxEvent<'liqx-payout-completed'>`). */
export class LiqxEvent<K extends LiqxEventName = LiqxEventName> extends CustomEvent<DetailOf<K>> {
  declare readonly type: K;
  constructor(type: K, detail: DetailOf<K>) {
    super(type, { detail, bubbles: true, composed: true });
  }
}

export type LiqxEventMap = { [K in LiqxEventName]: LiqxEvent<K> };
/** Any event relayed to `onEvent`. */
export type LiqxWidgetEvent = LiqxEventMap[LiqxEventName];

/** The element's callback properties (`onReady`, `onPayoutRejected`, ...), each called with its event's detail. */
export type LiqxCallbacks = { [K in LiqxEventName as Row<K>['callback']]: ((detail: DetailOf<K>) => void) | null };

declare global {
  interface HTMLElementEventMap extends LiqxEventMap {}
}

/** The DOM event that relays each frame event type. */
export const RELAYED_AS = Object.fromEntries(
  Object.entries(EVENTS).flatMap(([name, row]) => (row.frame ? [[row.frame, name]] : [])),
) as { [K in LiqxEventName as Row<K>['frame'] & string]: K };

// Every frame event type has a row: adding a type to the protocol without one fails the typecheck here.
true satisfies EventType extends keyof typeof RELAYED_AS ? true : false;

/** The frame event types that end a session (rows of kind `outcome`), e.g. for a test's or a harness's own checks. */
export type TerminalEventType = { [K in LiqxEventName]: Row<K>['kind'] extends 'outcome' ? Row<K>['frame'] : never }[LiqxEventName] & EventType;

/** The kind of a frame event type, read from its row. */
export const kindOf = (type: EventType): EventRow['kind'] => EVENTS[RELAYED_AS[type]].kind;

/** Flattens a frame envelope into an event detail: envelope fields plus the `data` fields. */
export function detailOf<T extends EventType>(event: FrameEventOf<T>): Flattened<T> {
  const { data, ...envelope } = event as FrameEventOf<T> & { data?: object };
  return { ...envelope, ...(data ?? {}) } as Flattened<T>;
}
