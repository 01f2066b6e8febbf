/**
 * Every state the gallery shows, and how a real `<liqx-payout-widget>` is driven into it:
 *   - the payout screens: the element embeds the mock LIQX's own payout page, cross-origin as in production, in
 *     its gallery copy (/gallery/frame?screen=..., demo/frame/gallery.ts): the same markup, styles, rules and
 *     channel as /widget/:session_id, with a fixed payout and a frozen clock, put into the screen by what a user
 *     would do on it. Nothing waits on real time;
 *   - the host's own errors: the inputs that cause them (a malformed session, an expired one, a frame that never
 *     says hello).
 *
 * Every id a tile shows is fixed per tile, so two runs render the same pixels.
 */
import type { LiqxPayoutWidget, WidgetSession } from '../../src/index.js';
import { GALLERY_SCREENS, type GalleryScreen } from '../frame/gallery-screens.js';

export type Locale = 'ko' | 'en';
export type Theme = 'light' | 'dark' | 'auto';
export const LOCALES: readonly Locale[] = ['ko', 'en'];
export const THEMES: readonly Theme[] = ['light', 'dark', 'auto'];

/** handshake-timeout of the "handshake timeout" tiles. */
export const GALLERY_HANDSHAKE_TIMEOUT_MS = 2500;

export interface Tile {
  locale: Locale;
  theme: Theme;
  /** Tile id: `<state>-<locale>-<theme>`. */
  id: string;
}

export interface GalleryState {
  id: string;
  label: string;
  /** What drives it, shown under the tile. */
  how: string;
  /** The element's `state` attribute once driven. */
  expect: string;
  /** The element's error code, for the host errors and the frame's. */
  errorCode?: string;
  /** Drives `el` (already in the document) into the state; `liqx` is the mock LIQX origin. */
  drive(el: LiqxPayoutWidget, tile: Tile, liqx: string): void;
}

const ids = (tile: Tile) => tile.id.replace(/-/g, '_');

/** A widget session of the gallery's payout page; nothing in it is secret (the gallery's page redeems no token). */
function session(tile: Tile, liqx: string, screen: string, expiresInMs = 10 * 60_000): WidgetSession {
  const intent = `int_gallery_${ids(tile)}`;
  const sessionId = `ses_gallery_${ids(tile)}`;
  const url = new URL('/gallery/frame', liqx);
  url.searchParams.set('screen', screen);
  url.searchParams.set('intent', intent);
  url.searchParams.set('session', sessionId);
  return { session_id: sessionId, widget_url: url.href, session_token: `tok_gallery_${ids(tile)}`, expires_at: new Date(Date.now() + expiresInMs).toISOString(), intent_id: intent };
}

const screenState = (s: GalleryScreen): GalleryState => ({
  id: s.id,
  label: s.label,
  how: s.how,
  expect: s.expect,
  ...(typeof s.read === 'object' ? { errorCode: s.read.code } : {}),
  drive: (el, tile, liqx) => {
    el.session = session(tile, liqx, s.id);
  },
});

export const STATES: readonly GalleryState[] = [
  ...GALLERY_SCREENS.map(screenState),
  {
    id: 'error-invalid-session',
    label: 'Host error · invalid session',
    how: 'A session whose widget_url is not an http(s) URL → INVALID_SESSION (no frame).',
    expect: 'error',
    errorCode: 'INVALID_SESSION',
    drive: (el, tile, liqx) => {
      el.session = { ...session(tile, liqx, 'ready'), widget_url: 'javascript:void(0)' };
    },
  },
  {
    id: 'error-session-expired',
    label: 'Host error · session expired',
    how: 'A session whose expires_at has passed → SESSION_EXPIRED (no frame).',
    expect: 'error',
    errorCode: 'SESSION_EXPIRED',
    drive: (el, tile, liqx) => {
      el.session = session(tile, liqx, 'ready', -60_000);
    },
  },
  {
    id: 'error-handshake-timeout',
    label: 'Host error · handshake timeout',
    how: `The payout page loads but never says hello; handshake-timeout ${GALLERY_HANDSHAKE_TIMEOUT_MS} ms → HANDSHAKE_TIMEOUT`,
    expect: 'error',
    errorCode: 'HANDSHAKE_TIMEOUT',
    drive: (el, tile, liqx) => {
      el.handshakeTimeout = GALLERY_HANDSHAKE_TIMEOUT_MS;
      el.session = session(tile, liqx, 'no-hello');
    },
  },
];

export const tileId = (state: string, locale: Locale, theme: Theme) => `${state}-${locale}-${theme}`;
