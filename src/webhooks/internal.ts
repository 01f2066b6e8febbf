/**
 * Everything of the webhooks module, public or not: for the server kit, the demo, the bench and the tests, which
 * import it by path. Not a package export: a partner's import surface is ./index.ts alone.
 */
export * from './receipt.js';
export * from './errors.js';
export * from './normalize.js';
export * from './lenient-json.js';
export * from './receipt-key.js';
export * from './verify.js';
export * from './payout-webhook.js';
export * from './providers/liqx.js';
export * from './providers/cashout-reference.js';
export * from './providers/ipay.js';
export * from './time.js';
export * from './depth.js';
