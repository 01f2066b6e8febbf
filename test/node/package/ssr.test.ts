/** Importing the package in Node (SSR, tests, build tools) must not throw: no window access at module top level. */
import { test } from 'node:test';
import assert from 'node:assert/strict';

test('the source entries import in Node without a DOM', async () => {
  const index = await import('../../../src/index.js');
  assert.equal(typeof index.LiqxPayoutWidget, 'function');
  assert.equal(index.TAG_NAME, 'liqx-payout-widget');
  const define = await import('../../../src/define.js');
  assert.equal(define.LiqxPayoutWidget, index.LiqxPayoutWidget);
  const frame = await import('../../../src/frame/index.js');
  assert.equal(typeof frame.connectToHost, 'function');
});

test('the built ES entries import in Node without a DOM', async () => {
  // Through a variable: the built files are checked at run time, not type-checked here.
  const load = (path: string) => import(path);
  const index = await load('../../../dist/index.js');
  assert.equal(typeof index.LiqxPayoutWidget, 'function');
  await load('../../../dist/define.js');
  await load('../../../dist/frame.js');
});

test('protocol schemas validate the same way on the server', async () => {
  const { parseFrameEvent, HelloRequest } = await import('../../../src/protocol/schemas.js');
  const ok = parseFrameEvent({ type: 'PAYOUT_REJECTED', eventId: 'e', sessionId: 's', intentId: 'i', occurredAt: '2026-11-22T03:00:00.000Z', data: { reason: { code: 'USER_DECLINED', message: 'no' } } });
  assert.equal(ok.success, true);
  const bad = parseFrameEvent({ type: 'PAYOUT_REJECTED', eventId: 'e', sessionId: 's', intentId: 'i', occurredAt: '2026-11-22T03:00:00.000Z', data: { reason: { code: '' } } });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.')).sort(), ['data.reason.code', 'data.reason.message']);
  assert.equal(HelloRequest().safeParse({ protocol: 1.5, sessionId: 's' }).success, false);
});
