/**
 * liqx-payout-widget: the element class, its events, the protocol and session types.
 * No side effects: import `liqx-payout-widget/define` to register the tag.
 */
export { LiqxPayoutWidget } from './payout-widget.js';
export * from './events.js';
export { HostErrorCode, ProtocolErrorCode } from './errors.js';
export { WidgetSession, resolveSession, isExpired, type ResolvedSession } from './session.js';
export {
  PROTOCOL_VERSION,
  EVENT_TYPES,
  TERMINAL_EVENT_TYPES,
  FRAME_EVENT_SCHEMAS,
  parseFrameEvent,
  type FrameEvent,
  HelloRequest,
  HelloResponse,
  Reason,
  Locale,
  Theme,
  type EventType,
  type FrameEventOf,
  type HostMethods,
  type FrameMethods,
} from './protocol.js';

/** The tag name `liqx-payout-widget/define` registers. */
export const TAG_NAME = 'liqx-payout-widget';
