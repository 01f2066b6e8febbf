/**
 * Texts and number formats of the widget frame, in the two locales the host may send (ko, en).
 */
import type { Locale } from '../../src/protocol/schemas.js';

const en = {
  product: 'Payout',
  expiresIn: 'Expires in',
  connecting: 'Connecting securely…',
  loadingPayout: 'Loading your payout…',
  title: 'Confirm your payout',
  lead: 'Review the details below. Once you confirm, LIQX sends the amount to your registered bank account.',
  receive: 'You receive',
  settledFrom: 'Settled from',
  recipient: 'Recipient (legal name)',
  account: 'Bank account',
  reference: 'Reference',
  confirm: 'Confirm payout',
  decline: 'Decline',
  declineTitle: 'Decline this payout?',
  declineLead: 'Tell us why. The partner receives the reason code.',
  'reason.USER_DECLINED': "I don't want this payout",
  'reason.AMOUNT_INCORRECT': 'The amount is incorrect',
  'reason.ACCOUNT_INCORRECT': 'The bank account is incorrect',
  'reason.NOT_REQUESTED': 'I did not request this payout',
  back: 'Back',
  declineSubmit: 'Decline payout',
  processing: 'Sending your payout…',
  checking: 'Checking the reservation…',
  completedTitle: 'Payout completed',
  completedBody: '{krw} is on its way to {bank} {account}.',
  rejectedTitle: 'Payout declined',
  rejectedBody: 'You declined this payout. The partner has been told why.',
  expiredTitle: 'Reservation expired',
  expiredBody: 'This payout reservation expired before it was confirmed. Start a new one from the partner page.',
  errorTitle: 'Something went wrong',
  invalidTokenTitle: 'Session not verified',
  invalidToken: 'This payout session could not be verified. Close this window and start again from the partner page.',
  notEmbedded: 'This page opens inside the partner’s payout widget only.',
  genericError: 'The payout could not be processed. Please try again from the partner page.',
  sessionExpiredTitle: 'Session expired',
  sessionExpired: 'This payout session has ended. Start again from the partner page to continue.',
  sessionRevokedTitle: 'Session replaced or finished',
  sessionRevoked: 'This payout session is no longer valid: it was opened again elsewhere, or the payout has finished. Check the partner page for its status.',
  transaction: 'Transaction',
  reasonCode: 'Reason code',
  errorCode: 'Error code',
  done: 'Done',
  secured: 'Secured by LIQX',
  timerAria: 'Time left to confirm: {time}',
  announceReady: 'Payout of {krw} ready to confirm.',
};
type Key = keyof typeof en;

const ko: Record<Key, string> = {
  product: '출금',
  expiresIn: '남은 시간',
  connecting: '안전하게 연결하는 중…',
  loadingPayout: '출금 정보를 불러오는 중…',
  title: '출금 확인',
  lead: '아래 내용을 확인해 주세요. 확인하면 LIQX가 등록된 은행 계좌로 금액을 보냅니다.',
  receive: '받으실 금액',
  settledFrom: '정산 금액',
  recipient: '수취인 실명',
  account: '입금 계좌',
  reference: '참조 번호',
  confirm: '출금 확인',
  decline: '거절',
  declineTitle: '이 출금을 거절하시겠어요?',
  declineLead: '거절 사유를 선택해 주세요. 사유 코드는 파트너에게 전달됩니다.',
  'reason.USER_DECLINED': '출금을 원하지 않습니다',
  'reason.AMOUNT_INCORRECT': '금액이 올바르지 않습니다',
  'reason.ACCOUNT_INCORRECT': '계좌 정보가 올바르지 않습니다',
  'reason.NOT_REQUESTED': '요청한 적 없는 출금입니다',
  back: '뒤로',
  declineSubmit: '출금 거절',
  processing: '출금을 처리하는 중…',
  checking: '예약 상태를 확인하는 중…',
  completedTitle: '출금 완료',
  completedBody: '{krw}을 {bank} {account} 계좌로 보냈습니다.',
  rejectedTitle: '출금 거절됨',
  rejectedBody: '이 출금을 거절했습니다. 사유가 파트너에게 전달되었습니다.',
  expiredTitle: '예약 만료',
  expiredBody: '확인 전에 출금 예약이 만료되었습니다. 파트너 페이지에서 다시 시작해 주세요.',
  errorTitle: '문제가 발생했습니다',
  invalidTokenTitle: '세션을 확인할 수 없음',
  invalidToken: '출금 세션을 확인할 수 없습니다. 창을 닫고 파트너 페이지에서 다시 시작해 주세요.',
  notEmbedded: '이 페이지는 파트너의 출금 위젯 안에서만 열립니다.',
  genericError: '출금을 처리하지 못했습니다. 파트너 페이지에서 다시 시도해 주세요.',
  sessionExpiredTitle: '세션 만료',
  sessionExpired: '출금 세션이 끝났습니다. 계속하려면 파트너 페이지에서 다시 시작해 주세요.',
  sessionRevokedTitle: '세션이 교체되었거나 끝남',
  sessionRevoked: '이 출금 세션은 더 이상 유효하지 않습니다. 다른 곳에서 다시 열렸거나 출금이 끝났습니다. 파트너 페이지에서 상태를 확인해 주세요.',
  transaction: '거래 번호',
  reasonCode: '사유 코드',
  errorCode: '오류 코드',
  done: '완료',
  secured: 'LIQX 보안 연결',
  timerAria: '확인까지 남은 시간: {time}',
  announceReady: '{krw} 출금을 확인할 수 있습니다.',
};

const TEXTS: Record<Locale, Record<Key, string>> = { en, ko };

export type TextKey = Key;

export function t(locale: Locale, key: Key, vars: Record<string, string> = {}): string {
  return TEXTS[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? `{${name}}`);
}

export function isTextKey(key: string): key is Key {
  return key in en;
}

/** ₩100,000 (KRW has no minor unit). */
export function formatKrw(amount: string, locale: Locale): string {
  return new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US', { style: 'currency', currency: 'KRW' }).format(Number(amount));
}

/** 75.000000 USDT: six decimals, digits grouped, kept as a string so nothing is rounded through a float. */
export function formatUsdt(amount: string): string {
  const [whole, fraction = ''] = amount.split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(6, '0')} USDT`;
}

/** m:ss countdown. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  return `${String(minutes).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
