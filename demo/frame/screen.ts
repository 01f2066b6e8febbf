/**
 * The mock LIQX payout screen: its markup (./screen.html) and its payout rules, shared by every page that shows it.
 * The pages differ only in how they report (the transport) and, for the gallery, where data and time come from:
 *   - ./main.ts    framed in the partner's <liqx-payout-widget>: reports over the verified channel (MessagePort);
 *   - ./hosted.ts  opened top-level: reports to the app's native bridge, "Done" goes to the signed return;
 *   - ./gallery.ts the gallery's copy of the framed page: fixed data and a frozen clock.
 *
 * The rules: the server's clock decides expiry (the countdown only asks it once it reaches zero), a refused token
 * is read the same way everywhere, and exactly one outcome is reported.
 */
import type { Locale, Reason } from '../../src/protocol/schemas.js';
import type { Replay } from '../../src/frame/index.js';
import type { WidgetPayout } from '../contract/liqx.js';
import type { WidgetApi } from './api.js';
import { formatCountdown, formatKrw, t } from './i18n.js';
import markup from './screen.html?raw';
import {
  announce,
  applyTexts,
  bankName,
  elements,
  renderDetails,
  renderResult,
  renderTimer,
  setLoadingText,
  setSessionLabel,
  show,
  type ResultKind,
} from './view.js';

/** How often the countdown repaints, and how the page asks the server once its countdown reaches zero. */
const TICK_MS = 250;
const EXPIRY_POLL_MS = 400;
const EXPIRY_POLLS = 25;
const SESSION_REFUSALS = new Set(['INVALID_SESSION_TOKEN', 'SESSION_EXPIRED', 'SESSION_REVOKED']);

/** Where the screen's time comes from: the browser's, or the gallery's frozen one. */
export interface Clock {
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called. */
  every(ms: number, fn: () => void): () => void;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  every(ms, fn) {
    const id = setInterval(fn, ms);
    return () => clearInterval(id);
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** How a page reports what happened; each outcome is called at most once. */
export interface Transport {
  /** The payout is known (its intent is what every report is about). */
  payout(p: WidgetPayout): void;
  ready(): void;
  submitted(): void;
  completed(transactionId: string | undefined, replay?: Replay): void;
  rejected(reason: Reason, replay?: Replay): void;
  expired(replay?: Replay): void;
  error(reason: Reason): void;
  /** What "Done" on the result screen does; null: nobody to go back to, no button. */
  readonly done: (() => void) | null;
}

export interface PayoutScreen {
  /** Loads the payout and shows it (or the outcome it already has); reports ready. */
  start(sessionId: string): Promise<void>;
  /** Shows an error that happened before the payout could be read (no channel, a refused token). */
  fail(reason: Reason): void;
  /** Redraws the texts in another locale; the view shown, the countdown and the payout's state stay. */
  setLocale(locale: Locale): void;
}

/** Puts the screen's markup into the page (once), in `locale`, on its loading view. */
export function mountScreen(locale: Locale): void {
  if (!document.getElementById('card')) document.body.insertAdjacentHTML('afterbegin', markup);
  applyTexts(locale);
  show('loading');
}

export function createPayoutScreen(options: { api: WidgetApi; locale: Locale; transport: Transport; clock?: Clock }): PayoutScreen {
  const { api, transport } = options;
  const clock = options.clock ?? realClock;
  let locale = options.locale;
  let payout: WidgetPayout | null = null;
  let finished = false;
  /** A confirm or decline request is in flight: its answer, not the countdown, decides the outcome. */
  let busy = false;
  let stopTicking: (() => void) | null = null;
  applyTexts(locale);

  /** What the page says for an error code (the code itself is shown too, and reported). */
  function errorTexts(code: string | undefined): { title: string; body: string } {
    switch (code) {
      case 'INVALID_SESSION_TOKEN':
        return { title: t(locale, 'invalidTokenTitle'), body: t(locale, 'invalidToken') };
      case 'SESSION_EXPIRED':
        return { title: t(locale, 'sessionExpiredTitle'), body: t(locale, 'sessionExpired') };
      case 'SESSION_REVOKED':
        return { title: t(locale, 'sessionRevokedTitle'), body: t(locale, 'sessionRevoked') };
      case 'NOT_IN_IFRAME':
        return { title: t(locale, 'errorTitle'), body: t(locale, 'notEmbedded') };
      default:
        return { title: t(locale, 'errorTitle'), body: t(locale, 'genericError') };
    }
  }

  /** `replay`: the intent had ended before this page loaded; its outcome is reported again, marked as such. */
  function finish(kind: ResultKind, detail: { reason?: Reason; transactionId?: string; replay?: Replay } = {}): void {
    if (finished) return;
    finished = true;
    busy = false;
    stopCountdown();
    const p = payout;
    const texts = {
      completed: {
        title: t(locale, 'completedTitle'),
        body: p ? t(locale, 'completedBody', { krw: formatKrw(p.amount_krw, locale), bank: bankName(p, locale), account: p.bank.masked_account }) : t(locale, 'completedTitle'),
        fact: detail.transactionId ? { label: t(locale, 'transaction'), value: detail.transactionId } : undefined,
      },
      rejected: { title: t(locale, 'rejectedTitle'), body: t(locale, 'rejectedBody'), fact: detail.reason ? { label: t(locale, 'reasonCode'), value: detail.reason.code } : undefined },
      expired: { title: t(locale, 'expiredTitle'), body: t(locale, 'expiredBody'), fact: undefined },
      error: { ...errorTexts(detail.reason?.code), fact: detail.reason ? { label: t(locale, 'errorCode'), value: detail.reason.code } : undefined },
    }[kind];
    renderResult(kind, { ...texts, done: transport.done !== null });
    announce(`${texts.title}. ${texts.body}`);
    const { replay } = detail;
    if (kind === 'completed') transport.completed(detail.transactionId, replay);
    else if (kind === 'rejected') transport.rejected(detail.reason!, replay);
    else if (kind === 'expired') transport.expired(replay);
    else if (detail.reason) transport.error(detail.reason);
  }

  /**
   * The server refused the session token (401). Refusals carry no payout data, so the page decides from what it
   * already knows: a session that ended at the reservation's own deadline ended because the reservation expired
   * (the server expires both at that instant, and a completed or declined payout revokes the session, which would
   * say SESSION_REVOKED instead). A session that ended earlier is only a lapsed session: an error.
   */
  function sessionRefused(code: string, message: string): void {
    const p = payout;
    const endedWithReservation = p !== null && Date.parse(p.session_expires_at) >= Date.parse(p.expires_at);
    if (code === 'SESSION_EXPIRED' && endedWithReservation) finish('expired');
    else finish('error', { reason: { code, message } });
  }

  /** Shows whatever final state the server reports; `replay` when it was final before this page loaded. */
  function settle(p: WidgetPayout, replay?: Replay): boolean {
    payout = p;
    if (p.status === 'completed') finish('completed', { transactionId: p.transaction_id, replay });
    else if (p.status === 'failed') finish('rejected', { reason: p.failure ?? { code: 'USER_DECLINED', message: '' }, replay });
    else if (p.status === 'expired') finish('expired', { replay });
    else return false;
    return true;
  }

  function stopCountdown(): void {
    stopTicking?.();
    stopTicking = null;
    renderTimer(null, false, '');
  }

  function startCountdown(p: WidgetPayout): void {
    // The server clock decides; correct the local one by the skew seen in server_time.
    const skew = Date.parse(p.server_time) - clock.now();
    // The session's deadline: the reservation's, or earlier when the session is shorter-lived.
    const deadline = Math.min(Date.parse(p.session_expires_at), Date.parse(p.expires_at));
    const tick = () => {
      const left = deadline - (clock.now() + skew);
      const text = formatCountdown(left);
      renderTimer(text, left < 30_000, t(locale, 'timerAria', { time: text }));
      if (left <= 0 && !busy) {
        stopTicking?.();
        void confirmExpiry();
      }
    };
    stopTicking = clock.every(TICK_MS, tick);
    tick();
  }

  /** The countdown reached zero: ask the server, whose clock is authoritative, until it refuses the session. */
  async function confirmExpiry(): Promise<void> {
    if (finished) return;
    setLoadingText(locale, 'checking');
    show('loading');
    for (let i = 0; i < EXPIRY_POLLS && !finished; i++) {
      const res = await api.payout();
      if (res.ok && settle(res.payout)) return;
      if (!res.ok && SESSION_REFUSALS.has(res.code)) return sessionRefused(res.code, res.message);
      await clock.sleep(EXPIRY_POLL_MS);
    }
    if (!finished) finish('error', { reason: { code: 'EXPIRY_UNCONFIRMED', message: 'The reservation did not expire on the server as scheduled.' } });
  }

  async function afterRefusal(code: string, message: string): Promise<void> {
    if (SESSION_REFUSALS.has(code)) return sessionRefused(code, message);
    // 409: the intent moved on (expired, or settled elsewhere): show what the server says it is now.
    if (code === 'INTENT_EXPIRED' || code === 'INTENT_NOT_PENDING') {
      const res = await api.payout();
      if (res.ok && settle(res.payout)) return;
      if (!res.ok && SESSION_REFUSALS.has(res.code)) return sessionRefused(res.code, res.message);
    }
    finish('error', { reason: { code, message } });
  }

  async function onConfirm(): Promise<void> {
    if (busy || finished) return;
    busy = true;
    show('processing');
    announce(t(locale, 'processing'));
    transport.submitted();
    const res = await api.confirm();
    busy = false;
    if (res.ok && settle(res.payout)) return;
    if (!res.ok) await afterRefusal(res.code, res.message);
  }

  async function onDecline(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (busy || finished) return;
    const code = new FormData(elements.declineForm()).get('reason');
    if (typeof code !== 'string') return;
    busy = true;
    show('processing');
    const res = await api.decline({ reason_code: code as 'USER_DECLINED' });
    busy = false;
    if (res.ok && settle(res.payout)) return;
    if (!res.ok) await afterRefusal(res.code, res.message);
  }

  elements.confirm().addEventListener('click', () => void onConfirm());
  elements.decline().addEventListener('click', () => {
    show('decline');
    elements.declineTitle().focus({ preventScroll: true });
  });
  elements.declineBack().addEventListener('click', () => {
    show('details');
    elements.decline().focus({ preventScroll: true });
  });
  elements.declineForm().addEventListener('submit', (e) => void onDecline(e));
  elements.done().addEventListener('click', () => transport.done?.());

  return {
    async start(sessionId) {
      setSessionLabel(sessionId);
      setLoadingText(locale, 'loadingPayout');
      show('loading');
      const res = await api.payout();
      if (!res.ok) {
        finish('error', { reason: { code: res.code, message: res.message } });
        return;
      }
      payout = res.payout;
      transport.payout(payout);
      // Already final (a reload after confirming, or during the confirm's delay, which the server's read waits
      // out): show the outcome and report it again as a replay, never the confirm screen.
      if (settle(payout, {})) return;
      renderDetails(payout, locale);
      show('details');
      startCountdown(payout);
      announce(t(locale, 'announceReady', { krw: formatKrw(payout.amount_krw, locale) }));
      transport.ready();
    },
    fail(reason) {
      finish('error', { reason });
    },
    setLocale(next) {
      if (next === locale) return;
      locale = next;
      applyTexts(locale);
      // Texts the page filled in itself: the payout's details (amounts and bank in the new locale).
      if (payout && !finished) renderDetails(payout, locale);
    },
  };
}
