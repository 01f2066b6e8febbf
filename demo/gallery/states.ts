/**
 * Every state the gallery shows, and how a real `<liqx-payout-widget>` is driven into it: through the package's
 * own test harness (`createFakeSession` + `connectFakeFrame`, the fake LIQX frame page served from this page's
 * origin at /gallery/fake-frame.html, as the harness expects) or, for the host's own errors, through the inputs
 * that cause them (a malformed session, an expired one, a frame that never says hello).
 *
 * Every id a tile shows is fixed per tile, so two runs render the same pixels.
 */
import { connectFakeFrame, createFakeSession, type FakeFrameDriver } from '../../src/testing/index.js';
import type { LiqxPayoutWidget } from '../../src/index.js';

export type Locale = 'ko' | 'en';
export type Theme = 'light' | 'dark';
export const LOCALES: readonly Locale[] = ['ko', 'en'];
export const THEMES: readonly Theme[] = ['light', 'dark'];

export const FAKE_FRAME_URL = '/gallery/fake-frame.html';
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
  /** Drives `el` (already in the document) into the state. */
  drive(el: LiqxPayoutWidget, tile: Tile): Promise<void>;
}

const text = (locale: Locale, ko: string, en: string) => (locale === 'ko' ? ko : en);

function session(tile: Tile, extra: { frameUrl?: string; expiresInMs?: number } = {}) {
  return createFakeSession({
    frameUrl: extra.frameUrl ?? FAKE_FRAME_URL,
    sessionId: `ses_gallery_${tile.id.replace(/-/g, '_')}`,
    intentId: `int_gallery_${tile.id.replace(/-/g, '_')}`,
    sessionToken: `tok_gallery_${tile.id.replace(/-/g, '_')}`,
    ...(extra.expiresInMs !== undefined ? { expiresInMs: extra.expiresInMs } : {}),
  });
}

/** Connects the fake frame (it reports its own height, as a LIQX page does). The bound is for a busy machine. */
async function connect(el: LiqxPayoutWidget, tile: Tile): Promise<FakeFrameDriver> {
  el.session = session(tile);
  return connectFakeFrame(el, { timeout: 60_000 });
}

async function connected(el: LiqxPayoutWidget, tile: Tile, ...steps: Array<(f: FakeFrameDriver) => Promise<boolean>>): Promise<void> {
  const frame = await connect(el, tile);
  for (const step of steps) {
    if (!(await step(frame))) throw new Error(`the widget refused a step of ${tile.id}`);
  }
}

export const STATES: readonly GalleryState[] = [
  {
    id: 'loading',
    label: 'Loading',
    how: 'Fake frame connected (hello answered), PAYOUT_READY not sent yet.',
    expect: 'loading',
    drive: (el, tile) => connected(el, tile),
  },
  {
    id: 'ready',
    label: 'Ready',
    how: 'frame.ready() → liqx-ready',
    expect: 'ready',
    drive: (el, tile) => connected(el, tile, (f) => f.ready()),
  },
  {
    id: 'submitted',
    label: 'Submitted',
    how: 'ready(), submitted() → liqx-payout-submitted',
    expect: 'submitted',
    drive: (el, tile) => connected(el, tile, (f) => f.ready(), (f) => f.submitted()),
  },
  {
    id: 'completed',
    label: 'Completed',
    how: 'ready(), submitted(), completed() → liqx-payout-completed',
    expect: 'completed',
    drive: (el, tile) =>
      connected(el, tile, (f) => f.ready(), (f) => f.submitted(), (f) => f.completed({ transactionId: `txn_gallery_${tile.locale}_${tile.theme}` })),
  },
  {
    id: 'rejected',
    label: 'Rejected',
    how: 'ready(), rejected(reason) → liqx-payout-rejected',
    expect: 'rejected',
    drive: (el, tile) =>
      connected(el, tile, (f) => f.ready(), (f) =>
        f.rejected({ code: 'ACCOUNT_INCORRECT', message: text(tile.locale, '수취인이 계좌 정보가 틀리다고 알렸습니다.', 'The recipient reported that the bank account is incorrect.') }),
      ),
  },
  {
    id: 'expired',
    label: 'Expired',
    how: 'ready(), expired() → liqx-payout-expired',
    expect: 'expired',
    drive: (el, tile) => connected(el, tile, (f) => f.ready(), (f) => f.expired()),
  },
  {
    id: 'error-invalid-session',
    label: 'Error · invalid session',
    how: 'A session whose widget_url is not an http(s) URL → host INVALID_SESSION',
    expect: 'error',
    drive: async (el, tile) => {
      el.session = { ...session(tile), widget_url: 'javascript:void(0)' };
    },
  },
  {
    id: 'error-session-expired',
    label: 'Error · session expired',
    how: 'createFakeSession({ expiresInMs: -60000 }) → host SESSION_EXPIRED',
    expect: 'error',
    drive: async (el, tile) => {
      el.session = session(tile, { expiresInMs: -60_000 });
    },
  },
  {
    id: 'error-handshake-timeout',
    label: 'Error · handshake timeout',
    how: `Fake frame told to trust another parent, so it never says hello; handshake-timeout ${GALLERY_HANDSHAKE_TIMEOUT_MS} ms → host HANDSHAKE_TIMEOUT`,
    expect: 'error',
    drive: async (el, tile) => {
      el.handshakeTimeout = GALLERY_HANDSHAKE_TIMEOUT_MS;
      el.session = session(tile, { frameUrl: `${FAKE_FRAME_URL}?parent=${encodeURIComponent('https://partner.invalid')}` });
    },
  },
  {
    id: 'error-frame',
    label: 'Error · from the frame',
    how: 'frame.error({ code, message }) → liqx-error, source frame',
    expect: 'error',
    drive: (el, tile) =>
      connected(el, tile, (f) =>
        f.error({ code: 'PAYOUT_UNAVAILABLE', message: text(tile.locale, '지금은 지급을 진행할 수 없습니다. 잠시 후 다시 시도하세요.', 'The payout cannot be processed right now. Try again later.') }),
      ),
  },
];

export const tileId = (state: string, locale: Locale, theme: Theme) => `${state}-${locale}-${theme}`;
