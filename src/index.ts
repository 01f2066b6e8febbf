/**
 * liqx-payout-widget: what a host page uses. The element class, its events and their table, error codes, the
 * session type and the protocol version. No side effects: import `liqx-payout-widget/define` to register the tag.
 * The protocol's schemas are internal (the frame SDK, `liqx-payout-widget/frame`, speaks them).
 */
export { LiqxPayoutWidget } from './payout-widget.js';
export {
  EVENTS,
  LiqxEvent,
  type DetailOf,
  type ErrorDetail,
  type LiqxCallbacks,
  type LiqxEventMap,
  type LiqxEventName,
  type LiqxWidgetEvent,
  type PayoutEventDetail,
  type ProtocolErrorDetail,
  type StateChangeDetail,
  type WidgetState,
} from './events.js';
export { HostErrorCode, ProtocolErrorCode } from './errors.js';
export { LiqxAppearanceError } from './appearance.js';
export { FONT_FAMILIES, type Appearance, type FontFamily } from './wire.js';
export type { WidgetSession } from './session.js';
export { PROTOCOL_VERSION, type EventType, type Locale, type Reason, type Theme } from './protocol.js';

/** The tag name `liqx-payout-widget/define` registers. */
export const TAG_NAME = 'liqx-payout-widget';
