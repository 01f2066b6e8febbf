/**
 * The element's public DOM events: one typed class each, all bubbling and composed, plus the
 * `HTMLElementEventMap` augmentation so `addEventListener('liqx-payout-rejected', e => e.detail.reason)`
 * is typed for users.
 */
import type { EventType, FrameEventOf, Reason } from './protocol.js';
import type { HostErrorCode, ProtocolErrorCode } from './errors.js';

/** The element's lifecycle, reflected as the `state` attribute. */
export type WidgetState = 'idle' | 'loading' | 'ready' | 'submitted' | 'completed' | 'rejected' | 'expired' | 'error';

/** What every relayed frame event carries, so the host can match it to a webhook receipt. */
export interface PayoutEventDetail {
  type: EventType;
  eventId: string;
  sessionId: string;
  intentId: string;
  occurredAt: string;
}
export type ReadyDetail = PayoutEventDetail & { type: 'PAYOUT_READY' };
export type SubmittedDetail = PayoutEventDetail & { type: 'PAYOUT_SUBMITTED' };
export type CompletedDetail = PayoutEventDetail & { type: 'PAYOUT_COMPLETED'; transactionId?: string };
export type RejectedDetail = PayoutEventDetail & { type: 'PAYOUT_REJECTED'; reason: Reason };
export type ExpiredDetail = PayoutEventDetail & { type: 'PAYOUT_EXPIRED' };
export type ResizeDetail = PayoutEventDetail & { type: 'WIDGET_RESIZE'; height: number };
export type CloseDetail = PayoutEventDetail & { type: 'WIDGET_CLOSE' };

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

abstract class LiqxEvent<D> extends CustomEvent<D> {
  constructor(type: string, detail: D) {
    super(type, { detail, bubbles: true, composed: true });
  }
}

/** The frame is connected and shows the payout. */
export class LiqxReadyEvent extends LiqxEvent<ReadyDetail> {
  static readonly eventName = 'liqx-ready';
  constructor(detail: ReadyDetail) { super(LiqxReadyEvent.eventName, detail); }
}
/** The user confirmed; LIQX is processing. Not proof of delivery. */
export class LiqxPayoutSubmittedEvent extends LiqxEvent<SubmittedDetail> {
  static readonly eventName = 'liqx-payout-submitted';
  constructor(detail: SubmittedDetail) { super(LiqxPayoutSubmittedEvent.eventName, detail); }
}
/** Terminal: LIQX reports the payout completed. Local evidence; the webhook receipt is the proof. */
export class LiqxPayoutCompletedEvent extends LiqxEvent<CompletedDetail> {
  static readonly eventName = 'liqx-payout-completed';
  constructor(detail: CompletedDetail) { super(LiqxPayoutCompletedEvent.eventName, detail); }
}
/** Terminal: the user declined or LIQX refused the payout (PAYOUT_REJECTED), with `reason`. */
export class LiqxPayoutRejectedEvent extends LiqxEvent<RejectedDetail> {
  static readonly eventName = 'liqx-payout-rejected';
  constructor(detail: RejectedDetail) { super(LiqxPayoutRejectedEvent.eventName, detail); }
}
/** Terminal: the payout intent expired before it was confirmed. */
export class LiqxPayoutExpiredEvent extends LiqxEvent<ExpiredDetail> {
  static readonly eventName = 'liqx-payout-expired';
  constructor(detail: ExpiredDetail) { super(LiqxPayoutExpiredEvent.eventName, detail); }
}
/** The frame's content height changed; the element has already resized the iframe. */
export class LiqxResizeEvent extends LiqxEvent<ResizeDetail> {
  static readonly eventName = 'liqx-resize';
  constructor(detail: ResizeDetail) { super(LiqxResizeEvent.eventName, detail); }
}
/** The frame asks to be closed (user dismissed it). The host decides what to do. */
export class LiqxCloseEvent extends LiqxEvent<CloseDetail> {
  static readonly eventName = 'liqx-close';
  constructor(detail: CloseDetail) { super(LiqxCloseEvent.eventName, detail); }
}
/** Terminal: the session failed. See `code`. */
export class LiqxErrorEvent extends LiqxEvent<ErrorDetail> {
  static readonly eventName = 'liqx-error';
  constructor(detail: ErrorDetail) { super(LiqxErrorEvent.eventName, detail); }
}
/** The `state` changed. */
export class LiqxStateChangeEvent extends LiqxEvent<StateChangeDetail> {
  static readonly eventName = 'liqx-state-change';
  constructor(detail: StateChangeDetail) { super(LiqxStateChangeEvent.eventName, detail); }
}
/** Diagnostic: a malformed or unexpected message from the frame was dropped. */
export class LiqxProtocolErrorEvent extends LiqxEvent<ProtocolErrorDetail> {
  static readonly eventName = 'liqx-protocol-error';
  constructor(detail: ProtocolErrorDetail) { super(LiqxProtocolErrorEvent.eventName, detail); }
}

export interface LiqxEventMap {
  'liqx-ready': LiqxReadyEvent;
  'liqx-payout-submitted': LiqxPayoutSubmittedEvent;
  'liqx-payout-completed': LiqxPayoutCompletedEvent;
  'liqx-payout-rejected': LiqxPayoutRejectedEvent;
  'liqx-payout-expired': LiqxPayoutExpiredEvent;
  'liqx-resize': LiqxResizeEvent;
  'liqx-close': LiqxCloseEvent;
  'liqx-error': LiqxErrorEvent;
  'liqx-state-change': LiqxStateChangeEvent;
  'liqx-protocol-error': LiqxProtocolErrorEvent;
}
/** Any public event of the element, as passed to `onEvent`. */
export type LiqxWidgetEvent = LiqxEventMap[keyof LiqxEventMap];

declare global {
  interface HTMLElementEventMap extends LiqxEventMap {}
}

/** Flattens a frame envelope into an event detail: envelope fields plus the `data` fields. */
export function detailOf<T extends EventType>(event: FrameEventOf<T>): PayoutEventDetail & Record<string, unknown> {
  const { data, ...envelope } = event as FrameEventOf<T> & { data?: object };
  return { ...envelope, ...(data ?? {}) };
}

/** How each frame event type reaches the host: DOM event class, callback property, and the state it moves to. */
export const RELAY = {
  PAYOUT_READY: { Event: LiqxReadyEvent, callback: 'onReady', state: 'ready' },
  PAYOUT_SUBMITTED: { Event: LiqxPayoutSubmittedEvent, callback: 'onPayoutSubmitted', state: 'submitted' },
  PAYOUT_COMPLETED: { Event: LiqxPayoutCompletedEvent, callback: 'onPayoutCompleted', state: 'completed' },
  PAYOUT_REJECTED: { Event: LiqxPayoutRejectedEvent, callback: 'onPayoutRejected', state: 'rejected' },
  PAYOUT_EXPIRED: { Event: LiqxPayoutExpiredEvent, callback: 'onPayoutExpired', state: 'expired' },
  WIDGET_RESIZE: { Event: LiqxResizeEvent, callback: 'onResize', state: null },
  WIDGET_CLOSE: { Event: LiqxCloseEvent, callback: 'onClose', state: null },
  WIDGET_ERROR: { Event: LiqxErrorEvent, callback: 'onError', state: 'error' },
} as const satisfies Record<EventType, { Event: unknown; callback: string; state: WidgetState | null }>;
