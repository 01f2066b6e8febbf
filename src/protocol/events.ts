/**
 * The one table of the widget's events. Each row names the DOM event, the frame event it relays (if any), the
 * callback property called with its detail, the state it moves the element to, and what it is to the session.
 * Everything else is derived from the rows: the frame event types, terminality (the outcome gate, the frame's
 * native bridge), the element's event map and callback properties (element/events.ts), React's event props, the
 * JSX and Vue typings, the testing harness, and the events in the manifest.
 *
 * Adding a frame event: its schema in schemas.ts, one row here, its emitter in the frame SDK.
 *
 * Plain data, no DOM and no zod: the frame SDK and the testing harness import it too.
 */

/** The element's lifecycle, reflected as the `state` attribute. */
export type WidgetState = 'idle' | 'loading' | 'ready' | 'submitted' | 'completed' | 'rejected' | 'expired' | 'error';

interface EventRow {
  /** The frame event relayed as this DOM event; null for the host's own events. */
  readonly frame: `${'PAYOUT' | 'WIDGET'}_${string}` | null;
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
export type Row<K extends LiqxEventName> = (typeof EVENTS)[K];
export type EventKind = EventRow['kind'];

/** Every event type the frame may report: the rows' `frame` column. */
export type EventType = { [K in LiqxEventName]: Row<K>['frame'] }[LiqxEventName] & string;

/** The frame event types, in table order. */
export const EVENT_TYPES: EventType[] = [];

/** The DOM event that relays each frame event type. */
export const RELAYED_AS = {} as { [K in LiqxEventName as Row<K>['frame'] & string]: K };

// A plain loop, not flatMap/fromEntries: this runs when the script-tag file is evaluated, and the first flatMap in a
// fresh page costs about 0.1 ms there.
for (const name of Object.keys(EVENTS) as LiqxEventName[]) {
  const { frame } = EVENTS[name];
  if (frame) {
    EVENT_TYPES.push(frame);
    (RELAYED_AS as Record<string, LiqxEventName>)[frame] = name;
  }
}

/** The kind of a frame event type, read from its row. */
export const kindOf = (type: EventType): EventKind => EVENTS[RELAYED_AS[type]].kind;

/** The frame event types that end a session: the rows of kind `outcome`. */
export type TerminalEventType = { [K in LiqxEventName]: Row<K>['kind'] extends 'outcome' ? Row<K>['frame'] : never }[LiqxEventName] & EventType;

/** True for the frame event types that end a session (the rows of kind `outcome`). */
export const isTerminal = (type: EventType): type is TerminalEventType => kindOf(type) === 'outcome';
