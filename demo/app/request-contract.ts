/**
 * The visible request form <-> the body POSTed to the demo proxy. One place decides what is sent, so the
 * summary, the raw preview and the real request cannot disagree.
 */
import type { PayoutRequest, ScenarioId } from './api.js';

/** The form holds every field of the request as the text typed (trimmed and left out when blank on the way out). */
export type RequestForm = { scenario: ScenarioId } & Record<Exclude<keyof PayoutRequest, 'scenario'>, string>;

export const DEFAULT_FORM: RequestForm = {
  scenario: 'VERIFIED',
  external_ref: '',
  external_user_id: '',
  legal_name: '홍길동',
  user_email: 'jane@example.com',
  return_url: 'https://demo.dev.liqx.io/payouts/demo',
  amount_krw: '100000',
  amount_usdt: '75.000000',
};

/** What a blank optional field means; shown in the summary and as the input placeholder. */
export const BLANK_MEANING = {
  external_ref: 'server-generated if blank',
  external_user_id: 'seeded mapped user fallback',
} as const;

export const FORM_FIELDS = [
  'scenario', 'external_ref', 'external_user_id', 'legal_name', 'user_email', 'return_url', 'amount_krw', 'amount_usdt',
] as const satisfies readonly (keyof RequestForm)[];

/** The exact JSON body: trimmed values; blank optional ids are left out so the proxy fills them in. */
export function toPayoutRequest(form: RequestForm): PayoutRequest {
  const body: PayoutRequest = {
    scenario: form.scenario,
    legal_name: form.legal_name.trim(),
    user_email: form.user_email.trim(),
    return_url: form.return_url.trim(),
    amount_krw: form.amount_krw.trim(),
    amount_usdt: form.amount_usdt.trim(),
  };
  const ref = form.external_ref.trim();
  const user = form.external_user_id.trim();
  // Insert in contract order so the preview reads like the form.
  return {
    scenario: body.scenario,
    ...(ref ? { external_ref: ref } : {}),
    ...(user ? { external_user_id: user } : {}),
    legal_name: body.legal_name,
    user_email: body.user_email,
    return_url: body.return_url,
    amount_krw: body.amount_krw,
    amount_usdt: body.amount_usdt,
  };
}

/** Client-side hints mirroring the proxy's contract; the proxy's 400 stays the authority. */
export function fieldProblems(form: RequestForm): Partial<Record<keyof RequestForm, string>> {
  const problems: Partial<Record<keyof RequestForm, string>> = {};
  if (!form.legal_name.trim()) problems.legal_name = 'Enter the legal name on the bank account.';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.user_email.trim())) problems.user_email = 'Enter an email address like jane@example.com.';
  try {
    const url = new URL(form.return_url.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') problems.return_url = 'Use an http(s) URL.';
  } catch {
    problems.return_url = 'Enter an absolute URL, e.g. https://demo.dev.liqx.io/payouts/demo.';
  }
  if (!/^[1-9]\d*$/.test(form.amount_krw.trim())) problems.amount_krw = 'Whole won, digits only (e.g. 100000).';
  if (!/^\d+(\.\d{1,6})?$/.test(form.amount_usdt.trim()) || Number(form.amount_usdt) <= 0) {
    problems.amount_usdt = 'A positive amount with up to 6 decimals (e.g. 75.000000).';
  }
  return problems;
}
