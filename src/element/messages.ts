/** The element's few own strings (the payout UI itself lives in the frame). */
import type { Locale } from '../protocol/schemas.js';
import type { HostErrorCode } from './errors.js';

/** Every host error code has its text in every locale: a code added to HostErrorCode without one fails the typecheck. */
type Strings = Record<'frameTitle' | 'loading' | 'errorTitle' | 'close' | HostErrorCode, string>;

const MESSAGES = {
  en: {
    frameTitle: 'LIQX payout',
    loading: 'Loading secure payout…',
    errorTitle: 'The payout widget could not continue.',
    close: 'Close',
    INVALID_SESSION: 'The payout session is not valid.',
    SESSION_EXPIRED: 'The payout session has expired.',
    SESSION_REFRESH_FAILED: 'A new payout session could not be obtained.',
    HANDSHAKE_TIMEOUT: 'The payout widget did not respond in time.',
    PROTOCOL_MISMATCH: 'The payout widget version is not supported.',
    UNSUPPORTED_BROWSER: 'This browser cannot show the payout widget. Update it or use another browser.',
  },
  ko: {
    frameTitle: 'LIQX 지급',
    loading: '안전한 지급 화면을 불러오는 중…',
    errorTitle: '지급 위젯을 계속할 수 없습니다.',
    close: '닫기',
    INVALID_SESSION: '지급 세션이 올바르지 않습니다.',
    SESSION_EXPIRED: '지급 세션이 만료되었습니다.',
    SESSION_REFRESH_FAILED: '새 지급 세션을 받지 못했습니다.',
    HANDSHAKE_TIMEOUT: '지급 위젯이 제때 응답하지 않았습니다.',
    PROTOCOL_MISMATCH: '지원하지 않는 지급 위젯 버전입니다.',
    UNSUPPORTED_BROWSER: '이 브라우저에서는 지급 위젯을 표시할 수 없습니다. 브라우저를 업데이트하거나 다른 브라우저를 사용하세요.',
  },
} as const satisfies Record<Locale, Strings>;

export type MessageKey = keyof (typeof MESSAGES)['en'];

export function t(locale: Locale | string, key: MessageKey): string {
  return (MESSAGES[locale as Locale] ?? MESSAGES.en)[key];
}

export function hasMessage(key: string): key is MessageKey {
  return key in MESSAGES.en;
}

/**
 * The `message` of HANDSHAKE_TIMEOUT (for the developer; the page shows the short text above and the code). It says
 * which of two things the element saw: the iframe's `load` never fired (no answer from widget_url, or a slow one),
 * or it fired and the frame never said hello. Then the likely causes. `load` also fires for the error page a browser
 * shows in place of a frame it refused (frame-ancestors) or could not reach, so "loaded" does not mean the LIQX
 * page ran.
 */
export const handshakeTimeoutMessage = (ms: number, loaded: boolean, frameOrigin: string): string =>
  `The frame ${loaded ? 'loaded but did not say hello' : 'did not load'} within ${ms} ms. Likely causes: this page's origin (${location.origin}) is not registered with LIQX (frame-ancestors refuses the frame; see the console), or widget_url (${frameOrigin}) is unreachable.`;
