/** Vue 3 (runtime + template compiler, the ES browser build) rendering <liqx-payout-widget> from a template. */
import { expect } from '@open-wc/testing';
import { createApp, nextTick, ref } from 'vue';
import '../../src/define.js';
import type { LiqxPayoutWidget } from '../../src/index.js';
import type { WidgetSession } from '../../src/protocol/session.js';
import { frameStatus, makeSession, sdk } from './helpers.js';

describe('Vue 3', () => {
  it('binds :session as a property, @liqx-* events, and tears the frame down on unmount', async () => {
    const session = makeSession();
    const seen: string[] = [];
    const current = ref<WidgetSession | null>(null);
    const host = document.createElement('div');
    document.body.append(host);
    const app = createApp({
      template: `<liqx-payout-widget
        :session="session" locale="en" handshake-timeout="20000"
        @liqx-ready="onReady" @liqx-payout-completed="onCompleted"></liqx-payout-widget>`,
      setup: () => ({
        session: current,
        onReady: (e: CustomEvent) => void seen.push(`ready:${e.detail.intentId}`),
        onCompleted: (e: CustomEvent) => void seen.push(`completed:${e.detail.transactionId}`),
      }),
    });
    // Without this Vue would try to resolve it as a Vue component (and warn).
    app.config.compilerOptions.isCustomElement = (tag) => tag.startsWith('liqx-');
    const warnings: string[] = [];
    app.config.warnHandler = (msg) => void warnings.push(msg);
    app.mount(host);

    const el = host.querySelector('liqx-payout-widget') as LiqxPayoutWidget;
    expect(el).to.be.instanceOf(customElements.get('liqx-payout-widget')!);
    expect(el.locale).to.equal('en');
    expect(el.state).to.equal('idle');

    const connected = frameStatus(el);
    current.value = session;
    await nextTick();
    expect(el.session, 'Vue set the object as a property, not an attribute').to.deep.equal(session);
    expect(el.hasAttribute('session')).to.be.false;
    await connected;

    expect((await sdk(el, 'ready')).ok).to.be.true;
    expect((await sdk(el, 'completed', { transactionId: 'tx_vue' })).ok).to.be.true;
    expect(seen).to.deep.equal([`ready:${session.intent_id}`, 'completed:tx_vue']);
    expect(el.state).to.equal('completed');

    const frame = el.frame!;
    app.unmount();
    expect(el.isConnected).to.be.false;
    expect(frame.isConnected).to.be.false;
    expect(document.querySelectorAll('iframe')).to.have.length(0);
    expect(warnings).to.deep.equal([]);
    host.remove();
  });
});
