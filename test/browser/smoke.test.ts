import { expect } from '@open-wc/testing';
import { makeSession, mountConnected, sdk, oneEvent } from './helpers.js';

describe('smoke', () => {
  it('connects to a cross-origin frame and relays PAYOUT_READY', async () => {
    const session = makeSession();
    const { el, status } = await mountConnected(session);
    expect(status.state).to.equal('connected');
    expect(status.token).to.equal(session.session_token);
    const ready = oneEvent(el, 'liqx-ready');
    const result = await sdk(el, 'ready');
    expect(result.ok, result.error).to.be.true;
    const event = await ready;
    expect(event.detail.intentId).to.equal(session.intent_id);
    expect(el.state).to.equal('ready');
  });
});
