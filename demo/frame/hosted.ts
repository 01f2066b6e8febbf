/**
 * The mock LIQX payout page in hosted mode (served top-level at <liqx origin>/hosted/:session_id after the hosted
 * link's single-use code was exchanged): the same screens and the same rules as the framed page (./main.ts): the
 * server's clock decides expiry, a refused token is read the same way, exactly one outcome. Instead of a partner
 * page on a channel, it reports to the app's native bridge when one is present (src/frame/native-bridge.ts), and
 * at the end "Done" sends the browser to the return route, which redirects to the intent's return_url with the
 * signed result.
 */
import { nativeBridge } from '../../src/frame/native-bridge.js';
import type { EventType } from '../../src/protocol/events.js';
import type { Locale, Reason } from '../../src/protocol/schemas.js';
import type { WidgetPayout } from '../contract/liqx.js';
import { widgetApi } from './api.js';
import { formatCountdown, formatKrw, t } from './i18n.js';
import { announce, applyTexts, bankName, elements, renderDetails, renderResult, renderTimer, setLoadingText, setSessionLabel, show, type ResultKind } from './view.js';

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

const TICK_MS = 250;
const EXPIRY_POLL_MS = 400;
const EXPIRY_POLLS = 25;
const SESSION_REFUSALS = new Set(['INVALID_SESSION_TOKEN', 'SESSION_EXPIRED', 'SESSION_REVOKED']);

const locale: Locale = navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
const bridge = nativeBridge();
const api = widgetApi(meta('liqx-session-token'));
let intentId = meta('liqx-intent-id');
let payout: WidgetPayout | null = null;
let finished = false;
let busy = false;
let countdown: ReturnType<typeof setInterval> | undefined;

const report = (type: EventType, data?: unknown) => bridge.send(type, intentId, data);

function finish(kind: ResultKind, detail: { reason?: Reason; transactionId?: string } = {}): void {
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
    error: { title: t(locale, 'errorTitle'), body: t(locale, 'genericError'), fact: detail.reason ? { label: t(locale, 'errorCode'), value: detail.reason.code } : undefined },
  }[kind];
  // "Done" always leads out: the return route answers with the signed result once the payout has ended.
  renderResult(kind, { ...texts, done: true });
  announce(`${texts.title}. ${texts.body}`);
  if (kind === 'completed') report('PAYOUT_COMPLETED', detail.transactionId ? { transactionId: detail.transactionId } : undefined);
  else if (kind === 'rejected') report('PAYOUT_REJECTED', { reason: detail.reason });
  else if (kind === 'expired') report('PAYOUT_EXPIRED');
  else report('WIDGET_ERROR', { error: detail.reason });
}

/** As in the framed page: a session that ended at the reservation's own deadline ended because the reservation expired. */
function sessionRefused(code: string, message: string): void {
  const p = payout;
  const endedWithReservation = p !== null && Date.parse(p.session_expires_at) >= Date.parse(p.expires_at);
  if (code === 'SESSION_EXPIRED' && endedWithReservation) finish('expired');
  else finish('error', { reason: { code, message } });
}

function settle(p: WidgetPayout): boolean {
  payout = p;
  if (p.status === 'completed') finish('completed', { transactionId: p.transaction_id });
  else if (p.status === 'failed') finish('rejected', { reason: p.failure ?? { code: 'USER_DECLINED', message: '' } });
  else if (p.status === 'expired') finish('expired');
  else return false;
  return true;
}

function stopCountdown(): void {
  clearInterval(countdown);
  countdown = undefined;
  renderTimer(null, false, '');
}

function startCountdown(p: WidgetPayout): void {
  const skew = Date.parse(p.server_time) - Date.now();
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
  report('PAYOUT_SUBMITTED');
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
  // replace(): Back from the partner's page does not come back to a finished payout.
  elements.done().addEventListener('click', () => location.replace(meta('liqx-return-path')));
}

async function main(): Promise<void> {
  const dark = matchMedia('(prefers-color-scheme: dark)');
  const theme = () => (document.documentElement.dataset.theme = dark.matches ? 'dark' : 'light');
  theme();
  dark.addEventListener('change', theme);
  applyTexts(locale);
  wireButtons();
  setSessionLabel(meta('liqx-session-id'));
  setLoadingText(locale, 'loadingPayout');
  show('loading');

  const res = await api.payout();
  if (!res.ok) {
    // A reload after the end: the token is revoked, but the payout may have ended; the return route knows.
    finish('error', { reason: { code: res.code, message: res.message } });
    return;
  }
  payout = res.payout;
  intentId = payout.intent_id;
  if (settle(payout)) return;
  renderDetails(payout, locale);
  show('details');
  startCountdown(payout);
  announce(t(locale, 'announceReady', { krw: formatKrw(payout.amount_krw, locale) }));
  report('PAYOUT_READY');
}

void main();
