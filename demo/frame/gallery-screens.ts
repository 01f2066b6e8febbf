/**
 * Every screen of the mock LIQX payout page the widget gallery shows, and how ./gallery.ts puts the page into it:
 * the fixed payout the gallery's widget API answers with, the instant the frozen clock shows, and what the user
 * does on the screen (through its real buttons and form). Nothing here waits on real time: the countdown is a
 * frozen clock, and the expiry is that clock past the deadline (the page then asks the API, which says expired).
 *
 * Plain data (no DOM): the gallery page (demo/gallery/states.ts) lists these as its rows.
 */
import type { WidgetPayout } from '../contract/liqx.js';

export const DECLINE_REASONS = ['USER_DECLINED', 'AMOUNT_INCORRECT', 'ACCOUNT_INCORRECT', 'NOT_REQUESTED'] as const;
export type DeclineReason = (typeof DECLINE_REASONS)[number];

export type ScreenAction =
  | { kind: 'none' }
  /** Opens the decline form (and stays there). */
  | { kind: 'open-decline' }
  /** Confirm; `answer`: what the API answers (`never`: the request stays in flight, the page shows it sending). */
  | { kind: 'confirm'; answer: 'completed' | 'never' }
  /** Declines with the reason chosen in the form. */
  | { kind: 'decline'; reason: DeclineReason };

export interface GalleryScreen {
  id: string;
  label: string;
  /** What the page does to reach it, shown under the gallery's row. */
  how: string;
  /** The element's `state` once the page is there. */
  expect: 'loading' | 'ready' | 'submitted' | 'completed' | 'rejected' | 'expired' | 'error';
  /** Milliseconds left on the countdown at the frozen instant (negative: past the deadline). */
  left: number;
  /** The API's first answer to GET /v1/widget/payout: the pending payout, an error code, or no answer at all. */
  read: 'payout' | 'never' | { code: string; status: number; message: string };
  action: ScreenAction;
}

/** The reservation's deadline in every screen; the clock is frozen `left` ms before it. */
export const GALLERY_DEADLINE = Date.parse('2026-03-02T09:05:00.000Z');
const READY_LEFT = 4 * 60_000 + 32_000;

export const GALLERY_SCREENS: readonly GalleryScreen[] = [
  { id: 'ready', label: 'Ready', how: 'The payout to confirm; clock frozen at 04:32 left.', expect: 'ready', left: READY_LEFT, read: 'payout', action: { kind: 'none' } },
  { id: 'countdown', label: 'Countdown · last seconds', how: 'Clock frozen at 00:18 left: the timer turns urgent.', expect: 'ready', left: 18_000, read: 'payout', action: { kind: 'none' } },
  { id: 'decline', label: 'Decline · reason', how: 'Decline pressed: the reason form.', expect: 'ready', left: READY_LEFT, read: 'payout', action: { kind: 'open-decline' } },
  { id: 'submitted', label: 'Submitted', how: 'Confirm pressed; the confirm request is still in flight.', expect: 'submitted', left: READY_LEFT, read: 'payout', action: { kind: 'confirm', answer: 'never' } },
  { id: 'completed', label: 'Completed', how: 'Confirm pressed; the API answers completed with a transaction.', expect: 'completed', left: READY_LEFT, read: 'payout', action: { kind: 'confirm', answer: 'completed' } },
  ...DECLINE_REASONS.map(
    (reason): GalleryScreen => ({
      id: `rejected-${reason.toLowerCase().replace(/_/g, '-')}`,
      label: `Rejected · ${reason}`,
      how: `Declined with the reason ${reason}.`,
      expect: 'rejected',
      left: READY_LEFT,
      read: 'payout',
      action: { kind: 'decline', reason },
    }),
  ),
  { id: 'expired', label: 'Expired', how: 'Clock frozen past the deadline: the page asks the API, which says expired.', expect: 'expired', left: -1_000, read: 'payout', action: { kind: 'none' } },
  { id: 'loading', label: 'Loading', how: 'Connected; the payout read has not answered yet.', expect: 'loading', left: READY_LEFT, read: 'never', action: { kind: 'none' } },
  {
    id: 'error-token',
    label: 'Error · token refused',
    how: 'The API refuses the session token (401 INVALID_SESSION_TOKEN).',
    expect: 'error',
    left: READY_LEFT,
    read: { code: 'INVALID_SESSION_TOKEN', status: 401, message: 'The session token is not valid.' },
    action: { kind: 'none' },
  },
  {
    id: 'error-revoked',
    label: 'Error · session revoked',
    how: 'The API says the session was revoked (401 SESSION_REVOKED).',
    expect: 'error',
    left: READY_LEFT,
    read: { code: 'SESSION_REVOKED', status: 401, message: 'A newer widget session replaced this one.' },
    action: { kind: 'none' },
  },
  {
    id: 'error-unavailable',
    label: 'Error · payout unavailable',
    how: 'The API cannot serve the payout (503 PAYOUT_UNAVAILABLE).',
    expect: 'error',
    left: READY_LEFT,
    read: { code: 'PAYOUT_UNAVAILABLE', status: 503, message: 'The payout cannot be processed right now.' },
    action: { kind: 'none' },
  },
];

export const galleryScreen = (id: string | null): GalleryScreen | undefined => GALLERY_SCREENS.find((s) => s.id === id);

/** The payout every screen shows; `status` and the outcome fields as the screen's step sets them. */
export function galleryPayout(intentId: string, sessionId: string, extra: Partial<WidgetPayout> = {}): WidgetPayout {
  const deadline = new Date(GALLERY_DEADLINE).toISOString();
  return {
    intent_id: intentId,
    session_id: sessionId,
    status: 'reserved',
    external_ref: 'ORD-2026-0302-0417',
    amount_krw: '1250000',
    amount_usdt: '912.40',
    legal_name: '홍길동',
    bank: { name_ko: '국민은행', name_en: 'KB Kookmin Bank', masked_account: '****-**-1234' },
    expires_at: deadline,
    session_expires_at: deadline,
    server_time: deadline,
    ...extra,
  };
}
