import { expect } from '@open-wc/testing';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { ALL_EVENTS, makeSession, mountConnected, record, sdk, oneEvent } from './helpers.js';

/** Every frame event type, how the frame SDK emits it, and what the host must relay. */
const CASES = [
  { type: 'PAYOUT_READY', method: 'ready', args: [], event: 'liqx-ready', callback: 'onReady', state: 'ready' },
  { type: 'PAYOUT_SUBMITTED', method: 'submitted', args: [], event: 'liqx-payout-submitted', callback: 'onPayoutSubmitted', state: 'submitted' },
  { type: 'PAYOUT_COMPLETED', method: 'completed', args: [{ transactionId: 'trx_1' }], event: 'liqx-payout-completed', callback: 'onPayoutCompleted', state: 'completed' },
  { type: 'PAYOUT_REJECTED', method: 'rejected', args: [{ code: 'USER_DECLINED', message: 'The user declined' }], event: 'liqx-payout-rejected', callback: 'onPayoutRejected', state: 'rejected' },
  { type: 'PAYOUT_EXPIRED', method: 'expired', args: [], event: 'liqx-payout-expired', callback: 'onPayoutExpired', state: 'expired' },
  { type: 'WIDGET_RESIZE', method: 'resize', args: [321], event: 'liqx-resize', callback: 'onResize', state: 'loading' },
  { type: 'WIDGET_CLOSE', method: 'close', args: [], event: 'liqx-close', callback: 'onClose', state: 'loading' },
  { type: 'WIDGET_ERROR', method: 'error', args: [{ code: 'BANK_UNAVAILABLE', message: 'Bank is down' }], event: 'liqx-error', callback: 'onError', state: 'error' },
] as const;

describe('relay of frame events', () => {
  for (const c of CASES) {
    it(`relays ${c.type} as ${c.event} and ${c.callback}, each exactly once`, async () => {
      const session = makeSession({ intent: `int_${c.type.toLowerCase()}` });
      const { el } = await mountConnected(session);
      const events = record(el, [c.event]);
      const callbackCalls: unknown[] = [];
      const onEventCalls: Event[] = [];
      (el as unknown as Record<string, unknown>)[c.callback] = (detail: unknown) => callbackCalls.push(detail);
      el.onEvent = (event) => onEventCalls.push(event);
      const bubbled: Event[] = [];
      document.body.addEventListener(c.event, (e) => bubbled.push(e), { once: true });

      const result = await sdk(el, c.method, ...c.args);
      expect(result.ok, result.error).to.equal(true);
      expect(result.value, 'the host accepted it').to.equal(true);

      expect(events).to.have.length(1);
      expect(callbackCalls).to.have.length(1);
      expect(onEventCalls).to.have.length(1);
      expect(onEventCalls[0]).to.equal(events[0]);
      expect(callbackCalls[0]).to.equal(events[0].detail);
      expect(bubbled, 'bubbles and is composed out of the shadow root').to.have.length(1);
      const detail = events[0].detail;
      expect(detail.sessionId).to.equal(session.session_id);
      expect(detail.intentId).to.equal(session.intent_id);
      expect(detail.eventId).to.match(/^evt_/);
      expect(Date.parse(detail.occurredAt)).to.be.closeTo(Date.now(), 60_000);
      expect(el.state).to.equal(c.state);
      expect(el.getAttribute('state')).to.equal(c.state);
    });
  }

  it('carries reason, transactionId and height in the detail', async () => {
    const { el } = await mountConnected(makeSession());
    const rejected = oneEvent(el, 'liqx-payout-rejected');
    await sdk(el, 'rejected', { code: 'USER_DECLINED', message: '사용자가 거절했습니다' });
    expect((await rejected).detail.reason).to.deep.equal({ code: 'USER_DECLINED', message: '사용자가 거절했습니다' });

    const { el: el2 } = await mountConnected(makeSession());
    const completed = oneEvent(el2, 'liqx-payout-completed');
    await sdk(el2, 'completed', { transactionId: 'trx_42' });
    expect((await completed).detail.transactionId).to.equal('trx_42');

    const { el: el3 } = await mountConnected(makeSession());
    const resized = oneEvent(el3, 'liqx-resize');
    await sdk(el3, 'resize', 456.2);
    expect((await resized).detail.height).to.equal(456.2);
    expect(el3.frame!.style.height).to.equal('457px');
  });

  it('sizes the iframe from the frame content (ResizeObserver in the frame SDK)', async () => {
    const { el } = await mountConnected(makeSession());
    const resized = new Promise<number>((resolve) => el.addEventListener('liqx-resize', (e) => e.detail.height >= 700 && resolve(e.detail.height)));
    await import('./helpers.js').then(({ frameCommand }) => frameCommand(el, 'setHeight', { height: 700 }));
    expect(await resized).to.be.at.least(700);
    expect(parseInt(el.frame!.style.height, 10)).to.be.at.least(700);
  });

  it('moves through ready -> submitted -> completed and fires liqx-state-change for each', async () => {
    const { el } = await mountConnected(makeSession());
    const changes: string[] = [];
    el.addEventListener('liqx-state-change', (e) => changes.push(`${e.detail.previous}>${e.detail.state}`));
    await sdk(el, 'ready');
    await sdk(el, 'submitted');
    await sdk(el, 'completed');
    expect(changes).to.deep.equal(['loading>ready', 'ready>submitted', 'submitted>completed']);
  });
});

describe('exactly one terminal outcome', () => {
  async function terminalCount(el: LiqxPayoutWidget, run: () => Promise<unknown>) {
    const seen = record(el, ALL_EVENTS);
    const protocolErrors = record(el, ['liqx-protocol-error']);
    await run();
    const terminal = seen.filter((e) => ['liqx-payout-completed', 'liqx-payout-rejected', 'liqx-payout-expired', 'liqx-error'].includes(e.type));
    return { terminal, protocolErrors, seen };
  }

  it('drops a second outcome and reports it as AFTER_TERMINAL', async () => {
    const { el } = await mountConnected(makeSession());
    const { terminal, protocolErrors } = await terminalCount(el, async () => {
      expect((await sdk(el, 'completed')).value).to.equal(true);
      expect((await sdk(el, 'rejected', { code: 'X', message: 'late' })).value).to.equal(false);
      expect((await sdk(el, 'expired')).value).to.equal(false);
      expect((await sdk(el, 'error', { code: 'LATE', message: 'late' })).value).to.equal(false);
      expect((await sdk(el, 'submitted')).value).to.equal(false);
    });
    expect(terminal.map((e) => e.type)).to.deep.equal(['liqx-payout-completed']);
    expect(protocolErrors.map((e) => e.detail.code)).to.deep.equal(['AFTER_TERMINAL', 'AFTER_TERMINAL', 'AFTER_TERMINAL', 'AFTER_TERMINAL']);
    expect(el.state).to.equal('completed');
  });

  it('still relays resize and close after the outcome (result screen, "Done")', async () => {
    const { el } = await mountConnected(makeSession());
    await sdk(el, 'rejected', { code: 'USER_DECLINED', message: 'no' });
    const closed = oneEvent(el, 'liqx-close');
    expect((await sdk(el, 'close')).value).to.equal(true);
    await closed;
    expect(el.state).to.equal('rejected');
  });

  it('drops a duplicate eventId (DUPLICATE_EVENT)', async () => {
    const session = makeSession({ mode: 'raw' });
    const { el } = await mountConnected(session);
    const { frameCommand } = await import('./helpers.js');
    await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id } });
    const event = { type: 'PAYOUT_COMPLETED', eventId: 'evt_dup', sessionId: session.session_id, intentId: session.intent_id, occurredAt: new Date().toISOString() };
    const { terminal, protocolErrors } = await terminalCount(el, async () => {
      expect((await frameCommand(el, 'emit', { payload: event })).value).to.deep.equal({ accepted: true });
      expect((await frameCommand(el, 'emit', { payload: event })).value).to.deep.equal({ accepted: false });
    });
    expect(terminal).to.have.length(1);
    expect(protocolErrors.map((e) => e.detail.code)).to.deep.equal(['DUPLICATE_EVENT']);
  });

  it('a throwing partner callback does not stop the DOM event or the other callbacks', async () => {
    const { el } = await mountConnected(makeSession());
    const reported: unknown[] = [];
    const originalOnError = window.onerror;
    window.onerror = (_m, _s, _l, _c, error) => {
      reported.push(error);
      return true;
    };
    try {
      el.onPayoutCompleted = () => {
        throw new Error('partner bug');
      };
      const onEvent: Event[] = [];
      el.onEvent = (e) => onEvent.push(e);
      const completed = oneEvent(el, 'liqx-payout-completed');
      expect((await sdk(el, 'completed')).ok).to.equal(true);
      await completed;
      expect(onEvent).to.have.length(1);
      expect(reported.map((e) => (e as Error).message)).to.include('partner bug');
    } finally {
      window.onerror = originalOnError;
    }
  });
});
