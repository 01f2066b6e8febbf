/** Typed failures of the frame SDK, penpal-style: a stable `code` and a readable message. */
export type FrameSdkErrorCode =
  | 'NOT_IN_IFRAME'
  | 'INVALID_OPTIONS'
  | 'HANDSHAKE_TIMEOUT'
  | 'INVALID_HELLO'
  | 'INVALID_EVENT'
  | 'NO_INTENT'
  | 'DESTROYED'
  | 'HOST_REFUSED';

export class FrameSdkError extends Error {
  override readonly name = 'FrameSdkError';
  constructor(
    readonly code: FrameSdkErrorCode,
    message: string,
    readonly issues: string[] = [],
  ) {
    super(`${code}: ${message}`);
  }
}
