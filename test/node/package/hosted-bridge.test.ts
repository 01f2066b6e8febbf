/**
 * The hosted page's native bridge (src/frame/native-bridge.ts) against fake app bridges: which one it picks, the
 * message shape each gets, each event at most once, one terminal event at most, and a throwing bridge. The real
 * page under a browser: test/e2e/hosted.e2e.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeBridge } from '../../../src/frame/index.js';

const recorder = () => {
  const got: unknown[] = [];
  return { got, postMessage: (m: unknown) => void got.push(m) };
};
const as = (w: object) => w as unknown as Window;

test('React Native gets JSON strings; each event once; nothing after the first terminal event', () => {
  const rn = recorder();
  const bridge = nativeBridge({ target: as({ ReactNativeWebView: rn }) });
  assert.equal(bridge.kind, 'react-native');
  assert.equal(bridge.send('PAYOUT_READY', 'pi_1'), true);
  assert.equal(bridge.send('PAYOUT_READY', 'pi_1'), false);
  assert.equal(bridge.send('PAYOUT_REJECTED', 'pi_1', { reason: { code: 'USER_DECLINED', message: '' } }), true);
  assert.equal(bridge.send('PAYOUT_EXPIRED', 'pi_1'), false);
  assert.equal(bridge.send('WIDGET_ERROR', 'pi_1', { error: { code: 'X', message: '' } }), false);
  assert.deepEqual(rn.got.map((m) => JSON.parse(m as string)), [
    { source: 'liqx', type: 'PAYOUT_READY', intentId: 'pi_1' },
    { source: 'liqx', type: 'PAYOUT_REJECTED', intentId: 'pi_1', data: { reason: { code: 'USER_DECLINED', message: '' } } },
  ]);
});

test('WebKit gets the object under its handler name; Android a JSON string on <name>Android; React Native wins when several exist', () => {
  const wk = recorder();
  const webkit = nativeBridge({ target: as({ webkit: { messageHandlers: { liqx: wk } } }) });
  assert.equal(webkit.kind, 'webkit');
  webkit.send('PAYOUT_COMPLETED', 'pi_2', { transactionId: 'tx_1' });
  assert.deepEqual(wk.got, [{ source: 'liqx', type: 'PAYOUT_COMPLETED', intentId: 'pi_2', data: { transactionId: 'tx_1' } }]);

  const named = recorder();
  assert.equal(nativeBridge({ name: 'payout', target: as({ webkit: { messageHandlers: { payout: named } } }) }).kind, 'webkit');
  assert.equal(nativeBridge({ target: as({ webkit: { messageHandlers: { payout: named } } }) }).kind, null);

  const android = recorder();
  const a = nativeBridge({ target: as({ liqxAndroid: android }) });
  assert.equal(a.kind, 'android');
  a.send('PAYOUT_EXPIRED', 'pi_3');
  assert.deepEqual(JSON.parse(android.got[0] as string), { source: 'liqx', type: 'PAYOUT_EXPIRED', intentId: 'pi_3' });

  const rn = recorder();
  assert.equal(nativeBridge({ target: as({ ReactNativeWebView: rn, webkit: { messageHandlers: { liqx: recorder() } } }) }).kind, 'react-native');
});

test('no bridge (a plain browser, or an object without postMessage) sends nothing; a throwing bridge does not throw into the page', () => {
  const none = nativeBridge({ target: as({ ReactNativeWebView: {}, webkit: {} }) });
  assert.equal(none.kind, null);
  assert.equal(none.send('PAYOUT_READY', 'pi_4'), false);
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    const broken = nativeBridge({ target: as({ ReactNativeWebView: { postMessage: () => { throw new Error('gone'); } } }) });
    assert.equal(broken.send('PAYOUT_COMPLETED', 'pi_5'), false);
    // It counted as sent: an app that went away is not told again.
    assert.equal(broken.send('PAYOUT_COMPLETED', 'pi_5'), false);
  } finally {
    console.warn = warn;
  }
});
