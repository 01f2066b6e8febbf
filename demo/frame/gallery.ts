/**
 * The widget gallery's copy of the framed payout page (served by the mock LIQX at /gallery/frame?screen=..., never
 * at /widget/:session_id): the real page's screen and transport (./framed.ts), on the channel to the gallery's
 * <liqx-payout-widget>, with the gallery's fixed payout and a frozen clock instead of the LIQX widget API and the
 * browser's clock. The query names the screen (./gallery-screens.ts); the page then does what a user would on it,
 * through the screen's own buttons and form, so every step is reported to the element as the real page reports it.
 *
 * `screen=no-hello` loads the page without ever saying hello: the element's handshake-timeout tile.
 */
import type { HostConnection } from '../../src/frame/index.js';
import type { ApiResult, WidgetApi } from './api.js';
import { runFramed } from './framed.js';
import { GALLERY_DEADLINE, galleryPayout, galleryScreen, type GalleryScreen } from './gallery-screens.js';
import { mountScreen, type Clock } from './screen.js';
import { elements } from './view.js';

const params = new URLSearchParams(location.search);
const intentId = params.get('intent') ?? 'int_gallery';
const sessionId = params.get('session') ?? 'ses_gallery';
/** Marks the page for its stylesheet: no spinning, the screenshot is the same every time. */
document.documentElement.dataset.frozen = '';

const pending = <T>() => new Promise<T>(() => {});

/** The clock stands still at the screen's instant: the countdown shows one value and never ticks on. */
function frozenClock(screen: GalleryScreen): Clock {
  const now = GALLERY_DEADLINE - screen.left;
  return { now: () => now, every: () => () => {}, sleep: () => Promise.resolve() };
}

/** Answers as the LIQX widget API would for this screen, without a server: one payout, read and acted on. */
function galleryApi(screen: GalleryScreen): WidgetApi {
  const now = new Date(GALLERY_DEADLINE - screen.left).toISOString();
  const payout = (extra = {}) => ({ ok: true as const, payout: galleryPayout(intentId, sessionId, { server_time: now, ...extra }) });
  let reads = 0;
  return {
    payout: async (): Promise<ApiResult> => {
      reads++;
      if (screen.read === 'never') return pending();
      if (screen.read !== 'payout') return { ok: false, ...screen.read };
      // Read again once the countdown has reached zero: the server's clock has expired the reservation.
      return reads > 1 && screen.left <= 0 ? payout({ status: 'expired' }) : payout();
    },
    confirm: async (): Promise<ApiResult> =>
      screen.action.kind === 'confirm' && screen.action.answer === 'completed' ? payout({ status: 'completed', transaction_id: `txn_${intentId.replace(/^int_/, '')}` }) : pending(),
    decline: async (req): Promise<ApiResult> => payout({ status: 'failed', failure: { code: req.reason_code, message: '' } }),
  };
}

/** Does on the screen what the user would, through its own controls. */
function act(screen: GalleryScreen): void {
  const action = screen.action;
  if (action.kind === 'confirm') elements.confirm().click();
  if (action.kind === 'open-decline' || action.kind === 'decline') elements.decline().click();
  if (action.kind === 'decline') {
    const form = elements.declineForm();
    form.querySelector<HTMLInputElement>(`input[name="reason"][value="${action.reason}"]`)!.checked = true;
    form.requestSubmit();
  }
}

let connected: HostConnection | null = null;
const reportHeight = () => void connected?.resize(Math.ceil(document.body.getBoundingClientRect().height)).catch(() => {});

async function main(): Promise<void> {
  const id = params.get('screen');
  if (id === 'no-hello') {
    mountScreen('en');
    return;
  }
  const screen = galleryScreen(id);
  if (!screen) throw new Error(`Unknown gallery screen ${JSON.stringify(id)}`);
  const api = galleryApi(screen);
  // The screen's two fonts (font-display: block) before the hello: every height the page reports is measured in them.
  mountScreen('en');
  await Promise.all([document.fonts.load("16px 'Pretendard Variable'", '가A'), document.fonts.load("16px 'JetBrains Mono Variable'", 'A')]);
  await runFramed({
    api: () => api,
    intentId,
    clock: frozenClock(screen),
    // A browser may not render a frame scrolled out of view, so the page's own height reports (once per animation
    // frame) can lag; the height goes first, on the same ordered channel: a tile in its state has its final size.
    beforeReport: (host) => {
      connected = host;
      reportHeight();
    },
  });
  act(screen);
  // A screen reached without a report (the decline form): its height right behind the ready the tile waits for.
  reportHeight();
}

void main();
