/**
 * Error codes the element reports. `liqx-error` is a terminal outcome; `liqx-protocol-error` is a
 * diagnostic for a message that was dropped (the session goes on).
 */

/** Codes of `liqx-error` raised by the host side. Errors the frame reports (WIDGET_ERROR) keep the frame's own code. */
export const HostErrorCode = {
  /** The session object or attributes failed validation; `issues` lists the zod issue paths. */
  INVALID_SESSION: 'INVALID_SESSION',
  /** The session's expires_at has passed and no `fetchSession` was set. */
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  /** `fetchSession()` threw, or returned a session that was malformed or already expired. */
  SESSION_REFRESH_FAILED: 'SESSION_REFRESH_FAILED',
  /** The frame did not complete `hello` within `handshake-timeout`. */
  HANDSHAKE_TIMEOUT: 'HANDSHAKE_TIMEOUT',
  /** The frame speaks a protocol version this host does not. */
  PROTOCOL_MISMATCH: 'PROTOCOL_MISMATCH',
  /** The browser lacks what the element needs (adoptedStyleSheets: Safari < 16.4, Firefox < 101); no frame is opened. */
  UNSUPPORTED_BROWSER: 'UNSUPPORTED_BROWSER',
} as const;
export type HostErrorCode = (typeof HostErrorCode)[keyof typeof HostErrorCode];

/** Codes of `liqx-protocol-error`: why a message from the frame was dropped. */
export const ProtocolErrorCode = {
  /** The message did not match the protocol schema; `issues` lists the paths. */
  INVALID_MESSAGE: 'INVALID_MESSAGE',
  /** The message names another session or intent than the one this element holds. */
  SESSION_MISMATCH: 'SESSION_MISMATCH',
  /** The same eventId was already relayed. */
  DUPLICATE_EVENT: 'DUPLICATE_EVENT',
  /** An outcome arrived after the session's terminal outcome. */
  AFTER_TERMINAL: 'AFTER_TERMINAL',
} as const;
export type ProtocolErrorCode = (typeof ProtocolErrorCode)[keyof typeof ProtocolErrorCode];
