/**
 * `liqx-payout-widget/react` with real React 19 (development build, so StrictMode double-invokes effects and
 * refs) and react-dom in Chromium, against the cross-origin fixture frame.
 */
import { expect } from '@open-wc/testing';
import * as React from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { LiqxPayoutWidget } from '../../src/react.js';
import type { LiqxPayoutWidget as Element } from '../../src/index.js';
import { frameStatus, makeSession, sdk } from './helpers.js';

const h = React.createElement;

let container: HTMLDivElement;
let root: Root;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(async () => {
  await React.act(async () => root.unmount());
  container.remove();
});

async function render(node: React.ReactNode) {
  await React.act(async () => root.render(node));
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

// React's act() warns unless the environment says it is a test.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

describe('React wrapper (liqx-payout-widget/react)', () => {
  it('sets properties, maps onX props to the DOM events, and passes the event to the handler', async () => {
    const session = makeSession();
    const calls: string[] = [];
    const events: Event[] = [];
    const ref = React.createRef<Element>();
    const props = {
      ref,
      session,
      locale: 'en' as const,
      handshakeTimeout: 20_000,
      onReady: (e: Event) => void (calls.push('ready'), events.push(e)),
      onPayoutRejected: (e: Event) => void (calls.push('rejected'), events.push(e)),
      onStateChange: (e: Event) => void calls.push(`state:${(e as CustomEvent).detail.state}`),
    };
    const el = () => container.querySelector('liqx-payout-widget') as Element;
    await render(h(LiqxPayoutWidget, props));
    expect(ref.current).to.equal(el());
    expect(el().locale).to.equal('en');
    expect(el().session).to.equal(session);
    const status = await frameStatus(el());
    expect(status.state).to.equal('connected');
    expect(status.locale).to.equal('en');

    expect((await sdk(el(), 'ready')).ok).to.be.true;
    await until(() => calls.includes('ready'));
    expect((await sdk(el(), 'rejected', { code: 'USER_DECLINED', message: 'No thanks' })).ok).to.be.true;
    await until(() => calls.includes('rejected'));
    // The state attribute moves first, then the event is dispatched.
    expect(calls.filter((c) => c !== 'state:loading')).to.deep.equal(['state:ready', 'ready', 'state:rejected', 'rejected']);
    expect(calls.filter((c) => c === 'ready')).to.have.length(1);
    expect(events[0]).to.be.instanceOf(CustomEvent);
    expect((events[0] as CustomEvent).type).to.equal('liqx-ready');
    expect((events[1] as CustomEvent).detail.reason).to.deep.equal({ code: 'USER_DECLINED', message: 'No thanks' });
    // The element's own callback property is not overwritten by the React event prop.
    expect(el().onPayoutRejected).to.equal(null);
  });

  it('swaps handlers on re-render without doubling them', async () => {
    const session = makeSession();
    const seen: string[] = [];
    const view = (tag: string) => h(LiqxPayoutWidget, { session, handshakeTimeout: 20_000, onReady: () => void seen.push(tag) });
    await render(view('first'));
    const el = container.querySelector('liqx-payout-widget') as Element;
    await frameStatus(el);
    await render(view('second'));
    expect((await sdk(el, 'ready')).ok).to.be.true;
    await until(() => seen.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).to.deep.equal(['second']);
  });

  it('in <StrictMode>: one frame, one channel, each event once; unmount leaves no iframe behind', async () => {
    const session = makeSession();
    const seen: string[] = [];
    let refCalls = 0;
    const app = h(
      React.StrictMode,
      null,
      h(LiqxPayoutWidget, {
        session,
        handshakeTimeout: 20_000,
        ref: () => void refCalls++,
        onReady: () => void seen.push('ready'),
        onPayoutCompleted: (e) => void seen.push(`completed:${e.detail.transactionId}`),
        onStateChange: (e) => void seen.push(`state:${e.detail.state}`),
      }),
    );
    await render(app);
    expect(refCalls, 'StrictMode really double-invoked (development build)').to.be.greaterThan(1);
    const el = container.querySelector('liqx-payout-widget') as Element;
    await frameStatus(el);
    expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
    expect(document.querySelectorAll('iframe').length + el.shadowRoot!.querySelectorAll('iframe').length).to.equal(1);
    expect((await sdk(el, 'ready')).ok).to.be.true;
    expect((await sdk(el, 'completed', { transactionId: 'tx_9' })).ok).to.be.true;
    await until(() => seen.includes('completed:tx_9'));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen.filter((s) => !s.startsWith('state:'))).to.deep.equal(['ready', 'completed:tx_9']);
    expect(seen.filter((s) => s === 'state:ready')).to.have.length(1);

    const frame = el.frame!;
    await React.act(async () => root.render(null));
    expect(el.isConnected).to.be.false;
    expect(frame.isConnected, 'iframe removed on unmount').to.be.false;
    expect(el.frame).to.equal(null);
    expect(document.querySelectorAll('iframe')).to.have.length(0);
  });
});
