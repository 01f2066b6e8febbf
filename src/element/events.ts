/**
 * The element's public DOM events, derived from the event table (protocol/events.ts): their details, the typed
 * event class, the event map (`addEventListener('liqx-payout-rejected', e => e.detail.reason)` is typed) and the
 * callback properties. Nothing here lists an event by hand but the three whose detail the host shapes itself.
 */
import type { FrameEventOf } from '../protocol/schemas.js';
import type { EventType, LiqxEventName, Row, WidgetState } from '../protocol/events.js';
import type { HostErrorCode, ProtocolErrorCode } from './errors.js';

// The table and its names, for the element, the wrappers and the public entry.
export { EVENTS, type LiqxEventName, type WidgetState } from '../protocol/events.js';

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

/** Flattens a frame envelope into an event detail: envelope fields plus the `data` fields. */
export function detailOf<T extends EventType>(event: FrameEventOf<T>): Flattened<T> {
  const { data, ...envelope } = event as FrameEventOf<T> & { data?: object };
  return { ...envelope, ...(data ?? {}) } as Flattened<T>;
}
