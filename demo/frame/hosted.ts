/**
 * The mock LIQX payout page in hosted mode (served top-level at <liqx origin>/hosted/:session_id after the hosted
 * link's single-use code was exchanged): the same screen and rules as the framed page (./screen.ts). Its
 * transport: instead of a partner page on a channel, it reports to the app's native bridge when one is present
 * (src/frame/native-bridge.ts), and at the end "Done" sends the browser to the return route, which redirects to
 * the intent's return_url with the signed result. The session token is in the page's no-store body, never a URL.
 */
import { nativeBridge } from '../../src/frame/native-bridge.js';
import type { EventType } from '../../src/protocol/events.js';
import type { Locale } from '../../src/protocol/schemas.js';
import { widgetApi } from './api.js';
import { createPayoutScreen, mountScreen } from './screen.js';

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

const locale: Locale = navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
const bridge = nativeBridge();
let intentId = meta('liqx-intent-id');
const report = (type: EventType, data?: unknown) => bridge.send(type, intentId, data);

const dark = matchMedia('(prefers-color-scheme: dark)');
const theme = () => (document.documentElement.dataset.theme = dark.matches ? 'dark' : 'light');
theme();
dark.addEventListener('change', theme);
mountScreen(locale);

const screen = createPayoutScreen({
  api: widgetApi(meta('liqx-session-token')),
  locale,
  transport: {
    payout: (p) => (intentId = p.intent_id),
    ready: () => report('PAYOUT_READY'),
    submitted: () => report('PAYOUT_SUBMITTED'),
    completed: (transactionId) => report('PAYOUT_COMPLETED', transactionId ? { transactionId } : undefined),
    rejected: (reason) => report('PAYOUT_REJECTED', { reason }),
    expired: () => report('PAYOUT_EXPIRED'),
    // A reload after the end: the token is revoked, but the payout may have ended; the return route knows.
    error: (reason) => report('WIDGET_ERROR', { error: reason }),
    // "Done" always leads out: the return route answers with the signed result once the payout has ended.
    // replace(): Back from the partner's page does not come back to a finished payout.
    done: () => location.replace(meta('liqx-return-path')),
  },
});
void screen.start(meta('liqx-session-id'));
