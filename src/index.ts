/**
 * liqx-payout-widget: what a host page uses. The element class, its events and their table, error codes, the
 * session type and the protocol version. No side effects: import `liqx-payout-widget/define` to register the tag.
 * The protocol's schemas are internal (the frame SDK, `liqx-payout-widget/frame`, speaks them).
 */
export { LiqxPayoutWidget } from './element/payout-widget.js';
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
} from './element/events.js';
export { HostErrorCode, ProtocolErrorCode } from './element/errors.js';
export { LiqxAppearanceError } from './element/appearance.js';
export { FONT_FAMILIES, type Appearance, type FontFamily } from './protocol/wire.js';
export type { WidgetSession } from './protocol/session.js';
export { PROTOCOL_VERSION, type EventType, type Locale, type Reason, type Theme } from './protocol/schemas.js';

/** The tag name `liqx-payout-widget/define` registers. */
export const TAG_NAME = 'liqx-payout-widget';
