/** The frame-side SDK: option checks, hello validation against a fake host, intent binding, typed errors. */
import { expect } from '@open-wc/testing';
import { connect, WindowMessenger } from 'penpal';
import { FRAME_ORIGIN } from '/__fixtures/env.js';
import { connectToHost, FrameSdkError } from '../../src/frame/index.js';
import { makeSession, mountConnected, sdk } from './helpers.js';

async function rejectsWith(promise: Promise<unknown>, code: string) {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(FrameSdkError);
    expect((error as FrameSdkError).code).to.equal(code);
    return;
  }
  expect.fail(`expected a FrameSdkError ${code}`);
}

describe('frame SDK: connectToHost', () => {
  it('refuses "*" and non-origin values in allowedParentOrigins', async () => {
    await rejectsWith(connectToHost({ allowedParentOrigins: ['*'], channel: 'c', sessionId: 's', parentWindow: {} as Window }), 'INVALID_OPTIONS');
    await rejectsWith(connectToHost({ allowedParentOrigins: [], channel: 'c', sessionId: 's', parentWindow: {} as Window }), 'INVALID_OPTIONS');
    await rejectsWith(connectToHost({ allowedParentOrigins: ['https://partner.example/path'], channel: 'c', sessionId: 's', parentWindow: {} as Window }), 'INVALID_OPTIONS');
    await rejectsWith(connectToHost({ allowedParentOrigins: ['partner.example'], channel: 'c', sessionId: 's', parentWindow: {} as Window }), 'INVALID_OPTIONS');
  });

  it('refuses to run outside an iframe', async () => {
    await rejectsWith(connectToHost({ allowedParentOrigins: [location.origin], channel: 'c', sessionId: 's' }), 'NOT_IN_IFRAME');
  });

  it('refuses to start without a channel and session id', async () => {
    await rejectsWith(connectToHost({ allowedParentOrigins: [location.origin], parentWindow: {} as Window }), 'INVALID_OPTIONS');
  });

  it('refuses to emit before bindIntent() (NO_INTENT)', async () => {
    const session = makeSession();
    const url = new URL(session.widget_url);
    url.searchParams.delete('intent');
    const { el } = await mountConnected({ ...session, widget_url: url.href, intent_id: undefined });
    const result = await sdk(el, 'ready');
    expect(result.ok).to.equal(false);
    expect(result.code).to.equal('NO_INTENT');
  });

  it('refuses an event that does not match the protocol before sending it (INVALID_EVENT)', async () => {
    const { el } = await mountConnected(makeSession());
    const result = await sdk(el, 'rejected', { code: 'not a code!', message: 'x' });
    expect(result.ok).to.equal(false);
    expect(result.code).to.equal('INVALID_EVENT');
  });

  it('validates the host answer to hello (INVALID_HELLO)', async () => {
    // A fake host: bare penpal answering hello with a malformed message.
    const channel = 'liqx-fake-host';
    const iframe = document.createElement('iframe');
    const url = new URL(`${FRAME_ORIGIN}/frame.html`);
    url.searchParams.set('parent', location.origin);
    url.hash = `liqx-channel=${channel}&liqx-session=ses_fake`;
    iframe.src = url.href;
    document.body.append(iframe);
    const status = new Promise<Record<string, unknown>>((resolve) => {
      window.addEventListener('message', function onMessage(event) {
        if (event.source !== iframe.contentWindow || !event.data?.liqxTestStatus) return;
        window.removeEventListener('message', onMessage);
        resolve(event.data);
      });
    });
    const connection = connect({
      messenger: new WindowMessenger({ remoteWindow: iframe.contentWindow!, allowedOrigins: [FRAME_ORIGIN] }),
      channel,
      methods: { hello: async () => ({ protocol: 1, sessionToken: '', locale: 'fr', theme: 'neon' }), emit: async () => ({ accepted: true }) },
    });
    try {
      const result = await status;
      expect(result.state).to.equal('failed');
      expect(result.code).to.equal('INVALID_HELLO');
    } finally {
      connection.destroy();
      iframe.remove();
    }
  });
});
