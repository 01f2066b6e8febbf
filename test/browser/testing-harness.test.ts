/**
 * The host-app test harness, `liqx-payout-widget/testing`, used the way a partner uses it in web-test-runner:
 * the fake frame page comes from the test server itself (here /dist/testing/fake-frame.html; in a partner's
 * project /node_modules/liqx-payout-widget/dist/testing/fake-frame.html), so nothing is cross-origin.
 * Needs `npm run build` first (`npm test` does it).
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { createFakeSession, connectFakeFrame } from '../../src/testing/index.js';
import '../../src/define.js';
import type { LiqxPayoutWidget } from '../../src/index.js';

const FAKE_FRAME = '/dist/testing/fake-frame.html';

describe('liqx-payout-widget/testing', () => {
  // --- The README example, verbatim in spirit: mount, connect, drive, assert. ---
  it('drives ready -> submitted -> completed', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    el.session = createFakeSession({ frameUrl: FAKE_FRAME, intentId: 'int_123' });
    const frame = await connectFakeFrame(el);
    expect(frame.sessionToken).to.equal(el.session!.session_token);

    const ready = oneEvent(el, 'liqx-ready');
    await frame.ready();
    expect((await ready).detail.intentId).to.equal('int_123');

    await frame.submitted();
    expect(el.state).to.equal('submitted');

    const completed = oneEvent(el, 'liqx-payout-completed');
    expect(await frame.completed({ transactionId: 'tx_42' })).to.be.true;
    expect((await completed).detail.transactionId).to.equal('tx_42');
    expect(el.state).to.equal('completed');
  });

  it('drives rejected with a reason, and the callback property fires too', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    const reasons: unknown[] = [];
    el.onPayoutRejected = (detail) => void reasons.push(detail.reason);
    el.session = createFakeSession({ frameUrl: FAKE_FRAME });
    const frame = await connectFakeFrame(el);
    await frame.ready();
    const rejected = oneEvent(el, 'liqx-payout-rejected');
    await frame.rejected({ code: 'KYC_REQUIRED', message: 'Verify your identity first' });
    expect((await rejected).detail.reason.code).to.equal('KYC_REQUIRED');
    expect(reasons).to.deep.equal([{ code: 'KYC_REQUIRED', message: 'Verify your identity first' }]);
    // Exactly one terminal outcome: a later one is refused.
    expect(await frame.completed()).to.be.false;
    expect(el.state).to.equal('rejected');
  });

  it('drives expired and error', async () => {
    const a = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    a.session = createFakeSession({ frameUrl: FAKE_FRAME });
    const fa = await connectFakeFrame(a);
    const expired = oneEvent(a, 'liqx-payout-expired');
    await fa.expired();
    await expired;
    expect(a.state).to.equal('expired');

    const b = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    b.session = createFakeSession({ frameUrl: FAKE_FRAME });
    const fb = await connectFakeFrame(b);
    const error = oneEvent(b, 'liqx-error');
    await fb.error({ code: 'UPSTREAM_DOWN', message: 'Try later' });
    expect((await error).detail).to.include({ code: 'UPSTREAM_DOWN', source: 'frame' });
    expect(b.state).to.equal('error');
  });

  it('answers requestClose() (overlay Esc) with WIDGET_CLOSE', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget display="overlay"></liqx-payout-widget>`);
    el.session = createFakeSession({ frameUrl: FAKE_FRAME });
    const frame = await connectFakeFrame(el);
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.be.true;
    const closed = oneEvent(el, 'liqx-close');
    expect(await el.requestClose()).to.be.true;
    await closed;
    expect(frame.closeRequests).to.equal(1);
    expect(dialog.open).to.be.false;
  });

  it('an expired fake session exercises the host-side SESSION_EXPIRED path', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    const error = oneEvent(el, 'liqx-error');
    el.session = createFakeSession({ frameUrl: FAKE_FRAME, expiresInMs: -1000 });
    expect((await error).detail.code).to.equal('SESSION_EXPIRED');
  });

  it('says why when the fake frame cannot be reached', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    let message = '';
    try {
      await connectFakeFrame(el, { timeout: 100 });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/timed out after 100 ms: the widget has no frame yet/);
  });
});
