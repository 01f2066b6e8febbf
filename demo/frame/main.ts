/**
 * The mock LIQX payout widget page (served at <liqx origin>/widget/:session_id inside
 * <liqx-payout-widget>). It connects to the host with the frame SDK, redeems the session token it
 * received over the verified channel (Authorization header, never a URL), shows the payout, and
 * reports exactly one outcome: PAYOUT_SUBMITTED then PAYOUT_COMPLETED, PAYOUT_REJECTED with a reason
 * code, PAYOUT_EXPIRED (the server's expiry timer decides), or WIDGET_ERROR.
 */
import { connectToHost, type Appearance, type FontFamily, type HostConnection, type Replay } from '../../src/frame/index.js';
import type { Locale, Reason } from '../../src/protocol/schemas.js';
import type { WidgetPayout } from '../contract/liqx.js';
import { widgetApi } from './api.js';
import { formatCountdown, formatKrw, t } from './i18n.js';
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

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

/** How often the countdown repaints, and how the frame asks the server once its countdown reaches zero. */
const TICK_MS = 250;
const EXPIRY_POLL_MS = 400;
const EXPIRY_POLLS = 25;

let locale: Locale = navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
let host: HostConnection | null = null;
let api: ReturnType<typeof widgetApi>;
let payout: WidgetPayout | null = null;
let finished = false;
/** A confirm or decline request is in flight: its answer, not the countdown, decides the outcome. */
let busy = false;
let countdown: ReturnType<typeof setInterval> | undefined;

/** Host calls never throw into the page: a closed channel only means nobody is listening any more. */
function tell(action: (h: HostConnection) => Promise<boolean>): void {
  if (host) action(host).catch((error) => console.warn('[liqx-frame] host call failed:', error));
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
      body: p
        ? t(locale, 'completedBody', { krw: formatKrw(p.amount_krw, locale), bank: bankName(p, locale), account: p.bank.masked_account })
        : t(locale, 'completedTitle'),
      fact: detail.transactionId ? { label: t(locale, 'transaction'), value: detail.transactionId } : undefined,
    },
    rejected: {
      title: t(locale, 'rejectedTitle'),
      body: t(locale, 'rejectedBody'),
      fact: detail.reason ? { label: t(locale, 'reasonCode'), value: detail.reason.code } : undefined,
    },
    expired: { title: t(locale, 'expiredTitle'), body: t(locale, 'expiredBody'), fact: undefined },
    error: {
      ...errorTexts(detail.reason?.code),
      fact: detail.reason ? { label: t(locale, 'errorCode'), value: detail.reason.code } : undefined,
    },
  }[kind];
  renderResult(kind, { ...texts, done: host !== null });
  announce(`${texts.title}. ${texts.body}`);

  const { replay } = detail;
  if (kind === 'completed') tell((h) => h.completed(detail.transactionId ? { transactionId: detail.transactionId } : {}, replay));
  else if (kind === 'rejected') tell((h) => h.rejected(detail.reason!, replay));
  else if (kind === 'expired') tell((h) => h.expired(replay));
  else if (detail.reason) tell((h) => h.error(detail.reason!));
}

/** What the page says for a frame error code (the code itself is shown too, and reported as WIDGET_ERROR). */
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

/**
 * The server refused the session token (401). Refusals carry no payout data, so the frame decides from what
 * it already knows: a session that ended at the reservation's own deadline ended because the reservation
 * expired (the server expires both at that instant, and a completed or declined payout revokes the session,
 * which would say SESSION_REVOKED instead). A session that ended earlier is only a lapsed session: an error.
 */
function sessionRefused(code: string, message: string): void {
  const p = payout;
  const endedWithReservation = p !== null && Date.parse(p.session_expires_at) >= Date.parse(p.expires_at);
  if (code === 'SESSION_EXPIRED' && endedWithReservation) finish('expired');
  else finish('error', { reason: { code, message } });
}

const SESSION_REFUSALS = new Set(['INVALID_SESSION_TOKEN', 'SESSION_EXPIRED', 'SESSION_REVOKED']);

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
  clearInterval(countdown);
  countdown = undefined;
  renderTimer(null, false, '');
}

function startCountdown(p: WidgetPayout): void {
  // The server clock decides; correct the local one by the skew seen in server_time.
  const skew = Date.parse(p.server_time) - Date.now();
  // The session's deadline: the reservation's, or earlier when the session is shorter-lived.
  const deadline = Math.min(Date.parse(p.session_expires_at), Date.parse(p.expires_at));
  const tick = () => {
    const left = deadline - (Date.now() + skew);
    const text = formatCountdown(left);
    renderTimer(text, left < 30_000, t(locale, 'timerAria', { time: text }));
    if (left <= 0 && !busy) {
      clearInterval(countdown);
      void confirmExpiry();
    }
  };
  tick();
  countdown = setInterval(tick, TICK_MS);
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
    await new Promise((r) => setTimeout(r, EXPIRY_POLL_MS));
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
  tell((h) => h.submitted());
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

function wireButtons(): void {
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
  elements.done().addEventListener('click', () => tell((h) => h.close()));
}

/** The page's own colour, radius and font properties (styles.css), as the partner's appearance sets them. */
const APPEARANCE_VARS = [['background', '--surface'], ['text', '--text'], ['muted', '--text-muted'], ['accent', '--brand'], ['danger', '--danger']] as const;
const FONT_STACKS: Record<FontFamily, string> = {
  system: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  'sans-serif': 'sans-serif',
  serif: 'serif',
  pretendard: "'Pretendard Variable', 'Pretendard', system-ui, sans-serif",
};

/** Applies the partner's appearance (checked by the element and the SDK) over the page's theme; null restores it. */
function applyAppearance(appearance: Appearance | null): void {
  // CSSOM on the root, not a style attribute: the page's CSP allows no inline styles.
  const style = document.documentElement.style;
  for (const [key, prop] of APPEARANCE_VARS) style.setProperty(prop, appearance?.colors?.[key] ?? '');
  style.setProperty('--radius', appearance?.radius !== undefined ? `${appearance.radius}px` : '');
  style.setProperty('font-family', appearance?.fontFamily ? FONT_STACKS[appearance.fontFamily] : '');
}

/**
 * The partner page changed the element's locale or theme after connect: redraw in place. Only texts and colours
 * change; the view shown, the countdown and the payout's state stay as they are.
 */
function redraw(): void {
  if (!host) return;
  document.documentElement.dataset.theme = host.theme;
  applyAppearance(host.appearance);
  if (host.locale === locale) return;
  locale = host.locale;
  applyTexts(locale);
  // Texts the page filled in itself: the payout's details (amounts and bank in the new locale).
  if (payout && !finished) renderDetails(payout, locale);
}

async function main(): Promise<void> {
  applyTexts(locale);
  wireButtons();
  show('loading');
  const parents = meta('liqx-parent-origins').split(/\s+/).filter(Boolean);
  try {
    host = await connectToHost({ allowedParentOrigins: parents, onUpdate: redraw });
  } catch (error) {
    // No channel: nobody to report to, only the page can say what happened.
    const code = (error as { code?: string }).code ?? 'HOST_REFUSED';
    finish('error', { reason: { code, message: String((error as Error).message) } });
    return;
  }
  locale = host.locale;
  document.documentElement.dataset.theme = host.theme;
  applyAppearance(host.appearance);
  applyTexts(locale);
  setSessionLabel(host.sessionId);
  setLoadingText(locale, 'loadingPayout');

  api = widgetApi(host.sessionToken);
  const res = await api.payout();
  if (!res.ok) {
    // The server names the session's intent in the page, so even a refused token is reported about it.
    host.bindIntent(meta('liqx-intent-id') || host.sessionId);
    finish('error', { reason: { code: res.code, message: res.message } });
    return;
  }
  payout = res.payout;
  host.bindIntent(payout.intent_id);
  // Already final (a reload after confirming, or during the confirm's delay, which the server's read waits out):
  // show the outcome and report it again as a replay, never the confirm screen.
  if (settle(payout, {})) return;

  renderDetails(payout, locale);
  show('details');
  startCountdown(payout);
  announce(t(locale, 'announceReady', { krw: formatKrw(payout.amount_krw, locale) }));
  tell((h) => h.ready());
}

void main();
