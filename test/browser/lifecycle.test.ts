/** Many widgets per page, teardown on removal, clean restarts (React StrictMode mounts twice), frame reloads. */
import { expect, fixture, html } from '@open-wc/testing';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { frameCommand, frameStatus, makeSession, mountConnected, oneEvent, record, sdk } from './helpers.js';

/** Counts window 'message' listeners added minus removed while `run` executes (the channel's only kind). */
async function netMessageListeners(run: () => Promise<void>): Promise<number> {
  const add = window.addEventListener;
  const remove = window.removeEventListener;
  const live = new Set<unknown>();
  window.addEventListener = function (this: Window, type: string, listener: unknown, options?: unknown) {
    if (type === 'message') live.add(listener);
    return add.call(this, type, listener as EventListener, options as AddEventListenerOptions);
  } as typeof window.addEventListener;
  window.removeEventListener = function (this: Window, type: string, listener: unknown, options?: unknown) {
    if (type === 'message') live.delete(listener);
    return remove.call(this, type, listener as EventListener, options as EventListenerOptions);
  } as typeof window.removeEventListener;
  try {
    await run();
  } finally {
    window.addEventListener = add;
    window.removeEventListener = remove;
  }
  return live.size;
}

describe('two widgets on one page', () => {
  it('keep their channels, tokens and events separate', async () => {
    const a = makeSession();
    const b = makeSession();
    const container = await fixture<HTMLDivElement>(html`<div>
      <liqx-payout-widget id="a"></liqx-payout-widget>
      <liqx-payout-widget id="b"></liqx-payout-widget>
    </div>`);
    const elA = container.querySelector<LiqxPayoutWidget>('#a')!;
    const elB = container.querySelector<LiqxPayoutWidget>('#b')!;
    const statusA = (async () => {
      await elA.updateComplete;
      return frameStatus(elA);
    })();
    elA.session = a;
    elB.session = b;
    await elA.updateComplete;
    await elB.updateComplete;
    const [sA, sB] = await Promise.all([statusA, frameStatus(elB)]);
    expect(sA.token).to.equal(a.session_token);
    expect(sB.token).to.equal(b.session_token);
    expect(new URL(elA.frame!.src).hash).not.to.equal(new URL(elB.frame!.src).hash);

    const seenA = record(elA, ['liqx-payout-completed', 'liqx-payout-rejected']);
    const seenB = record(elB, ['liqx-payout-completed', 'liqx-payout-rejected']);
    await sdk(elA, 'completed');
    await sdk(elB, 'rejected', { code: 'USER_DECLINED', message: 'no' });
    expect(seenA.map((e) => e.type)).to.deep.equal(['liqx-payout-completed']);
    expect(seenB.map((e) => e.type)).to.deep.equal(['liqx-payout-rejected']);
    expect(seenA[0].detail.intentId).to.equal(a.intent_id);
    expect(seenB[0].detail.intentId).to.equal(b.intent_id);
    expect(elA.state).to.equal('completed');
    expect(elB.state).to.equal('rejected');
  });
});

describe('teardown and restart', () => {
  it('removing the element destroys iframe, channel and listeners; re-adding starts cleanly', async () => {
    const session = makeSession();
    let el!: LiqxPayoutWidget;
    const leftover = await netMessageListeners(async () => {
      ({ el } = await mountConnected(session));
      const parent = el.parentElement!;
      el.remove();
      expect(el.frame, 'iframe gone on removal').to.equal(null);
      expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(0);
      // Re-adding (React StrictMode, moving the node) starts a new, working session.
      const reconnected = new Promise<Record<string, unknown>>((resolve) => {
        const onMessage = (event: MessageEvent) => {
          if (!event.data?.liqxTestStatus || event.source !== el.frame?.contentWindow) return;
          window.removeEventListener('message', onMessage);
          resolve(event.data);
        };
        window.addEventListener('message', onMessage);
      });
      parent.append(el);
      expect((await reconnected).token).to.equal(session.session_token);
      expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
      const ready = oneEvent(el, 'liqx-ready');
      await sdk(el, 'ready');
      await ready;
      el.remove();
    });
    expect(leftover, 'message listeners left behind').to.equal(0);
    expect(document.querySelectorAll('iframe')).to.have.length(0);
  });

  it('a removed element relays nothing, even if the old frame keeps talking', async () => {
    const { el } = await mountConnected(makeSession());
    const frameWindow = el.frame!.contentWindow;
    const seen = record(el, ['liqx-ready', 'liqx-payout-completed']);
    el.remove();
    expect(frameWindow!.closed || el.frame === null).to.equal(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).to.have.length(0);
  });

  it('replacing the session replaces the frame and drops the old one', async () => {
    const first = makeSession();
    const { el } = await mountConnected(first);
    const oldFrame = el.frame!;
    const second = makeSession();
    const connected = new Promise<Record<string, unknown>>((resolve) => {
      const onMessage = (event: MessageEvent) => {
        if (!event.data?.liqxTestStatus || event.source === oldFrame.contentWindow) return;
        window.removeEventListener('message', onMessage);
        resolve(event.data);
      };
      window.addEventListener('message', onMessage);
    });
    el.session = second;
    expect((await connected).token).to.equal(second.session_token);
    expect(oldFrame.isConnected).to.equal(false);
    expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
  });

  it('a frame reload says hello again and keeps relaying', async () => {
    const session = makeSession();
    const { el } = await mountConnected(session);
    await sdk(el, 'ready');
    const again = frameStatus(el);
    await frameCommand(el, 'reload');
    const status = await again;
    expect(status.state).to.equal('connected');
    expect(status.token).to.equal(session.session_token);
    const completed = oneEvent(el, 'liqx-payout-completed');
    expect((await sdk(el, 'completed')).value).to.equal(true);
    expect((await completed).detail.intentId).to.equal(session.intent_id);
  });
});
