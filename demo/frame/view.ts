/**
 * DOM updates of the payout screen. The markup is static in screen.html (no inline script or style, the
 * CSP forbids both); this module only switches views and fills text.
 */
import type { Locale } from '../../src/protocol/schemas.js';
import type { WidgetPayout } from '../contract/liqx.js';
import { formatKrw, formatUsdt, isTextKey, t, type TextKey } from './i18n.js';

export type ViewName = 'loading' | 'details' | 'decline' | 'processing' | 'result';
export type ResultKind = 'completed' | 'rejected' | 'expired' | 'error';

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export function applyTexts(locale: Locale): void {
  document.documentElement.lang = locale;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    const key = el.dataset.i18n!;
    if (isTextKey(key)) el.textContent = t(locale, key);
  }
}

export function show(view: ViewName): void {
  $('card').dataset.view = view;
  for (const section of document.querySelectorAll<HTMLElement>('[data-view-name]')) section.hidden = section.dataset.viewName !== view;
}

export function setLoadingText(locale: Locale, key: TextKey): void {
  $('loading-text').textContent = t(locale, key);
}

export function announce(text: string): void {
  $('status-live').textContent = text;
}

export function setSessionLabel(sessionId: string): void {
  $('session-label').textContent = sessionId;
}

export function bankName(payout: WidgetPayout, locale: Locale): string {
  return locale === 'ko' ? payout.bank.name_ko : payout.bank.name_en;
}

export function renderDetails(payout: WidgetPayout, locale: Locale): void {
  $('amount-krw').textContent = formatKrw(payout.amount_krw, locale);
  $('amount-usdt').textContent = formatUsdt(payout.amount_usdt);
  $('legal-name').textContent = payout.legal_name;
  $('bank-name').textContent = bankName(payout, locale);
  $('bank-account').textContent = payout.bank.masked_account;
  $('external-ref').textContent = payout.external_ref;
}

export function renderTimer(text: string | null, urgent: boolean, aria: string): void {
  const timer = $('timer');
  timer.hidden = text === null;
  timer.classList.toggle('urgent', urgent);
  timer.setAttribute('aria-label', aria);
  $('timer-value').textContent = text ?? '';
}

const ICONS: Record<ResultKind, string> = {
  completed: 'M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z',
  rejected: 'M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z',
  expired: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20m0 18a8 8 0 1 1 0-16 8 8 0 0 1 0 16m.5-13H11v6l5.2 3.2.8-1.3-4.5-2.7z',
  error: 'M1 21h22L12 2zm12-3h-2v-2h2zm0-4h-2v-4h2z',
};

export function renderResult(
  kind: ResultKind,
  content: { title: string; body: string; fact?: { label: string; value: string }; done: boolean },
): void {
  const card = $('card');
  card.dataset.result = kind;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '28');
  svg.setAttribute('height', '28');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', ICONS[kind]);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  $('result-icon').replaceChildren(svg);
  $('result-title').textContent = content.title;
  $('result-body').textContent = content.body;
  $('result-facts').hidden = !content.fact;
  if (content.fact) {
    $('result-fact-label').textContent = content.fact.label;
    $('result-fact-value').textContent = content.fact.value;
  }
  $('result-actions').hidden = !content.done;
  show('result');
  // Move focus to the outcome so keyboard and screen-reader users land on it.
  $('result-title').focus({ preventScroll: true });
}

export const elements = {
  confirm: () => $<HTMLButtonElement>('confirm-button'),
  decline: () => $<HTMLButtonElement>('decline-button'),
  declineForm: () => $<HTMLFormElement>('decline-form'),
  declineBack: () => $<HTMLButtonElement>('decline-back'),
  declineTitle: () => $('decline-title'),
  done: () => $<HTMLButtonElement>('done-button'),
};
