/**
 * The mock LIQX payout widget page (served at <liqx origin>/widget/:session_id inside <liqx-payout-widget>): the
 * shared payout screen (./screen.ts) on the channel to the host (./framed.ts), with the LIQX widget API and the
 * browser's clock. It reports exactly one outcome: PAYOUT_SUBMITTED then PAYOUT_COMPLETED, PAYOUT_REJECTED with
 * a reason code, PAYOUT_EXPIRED (the server's expiry timer decides), or WIDGET_ERROR.
 */
import { widgetApi } from './api.js';
import { runFramed } from './framed.js';

const intentId = document.querySelector('meta[name="liqx-intent-id"]')?.getAttribute('content') ?? '';
void runFramed({ api: widgetApi, intentId });
