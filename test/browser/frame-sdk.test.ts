/** The frame-side SDK: option checks, hello validation against a fake host, intent binding, typed errors. */
import { expect, waitUntil } from '@open-wc/testing';
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

  it('an event that does not match the protocol is refused by the host, typed INVALID_EVENT with its issue paths', async () => {
    const { el } = await mountConnected(makeSession());
    const result = await sdk(el, 'rejected', { code: 'not a code!', message: 'x' });
    expect(result.ok).to.equal(false);
    expect(result.code).to.equal('INVALID_EVENT');
  });

  /** A fake host answering the fixture frame's hello with `answer` on its port; resolves with the frame's status. */
  async function fakeHost(answer: unknown, after?: (port: MessagePort) => void): Promise<{ status: Record<string, unknown>; iframe: HTMLIFrameElement }> {
    const channel = 'liqx-fake-host';
    const iframe = document.createElement('iframe');
    const url = new URL(`${FRAME_ORIGIN}/frame.html`);
    url.searchParams.set('parent', location.origin);
    url.searchParams.set('intent', 'int_fake');
    url.hash = `liqx-channel=${channel}&liqx-session=ses_fake`;
    iframe.src = url.href;
    const onHello = (event: MessageEvent) => {
      if (event.source !== iframe.contentWindow || event.origin !== FRAME_ORIGIN || event.data?.channel !== channel) return;
      window.removeEventListener('message', onHello);
      const port = event.ports[0]!;
      port.postMessage({ reply: 0, result: answer });
      after?.(port);
    };
    window.addEventListener('message', onHello);
    const status = new Promise<Record<string, unknown>>((resolve) => {
      window.addEventListener('message', function onMessage(event) {
        if (event.source !== iframe.contentWindow || !event.data?.liqxTestStatus) return;
        window.removeEventListener('message', onMessage);
        resolve(event.data);
      });
    });
    document.body.append(iframe);
    return { status: await status, iframe };
  }

  it('validates the host answer to hello (INVALID_HELLO)', async () => {
    const { status, iframe } = await fakeHost({ protocol: 1, sessionToken: '', locale: 'fr', theme: 'neon' });
    try {
      expect(status.state).to.equal('failed');
      expect(status.code).to.equal('INVALID_HELLO');
    } finally {
      iframe.remove();
    }
  });

  it('applies a valid update from the host and refuses an invalid one (INVALID_UPDATE), keeping its settings', async () => {
    const replies: unknown[] = [];
    let hostPort: MessagePort | undefined;
    const { status, iframe } = await fakeHost({ protocol: 1, sessionToken: 'tok', locale: 'ko', theme: 'light' }, (port) => {
      hostPort = port;
      port.onmessage = (e) => replies.push(e.data);
    });
    try {
      expect(status.state).to.equal('connected');
      hostPort!.postMessage({ call: 1, method: 'update', arg: { theme: 'dark', locale: 'en' } });
      hostPort!.postMessage({ call: 2, method: 'update', arg: { theme: 'neon' } });
      await waitUntil(() => replies.filter((r) => (r as { reply?: number }).reply !== undefined && (r as { reply: number }).reply <= 2).length === 2, 'both updates answered', { timeout: 5000 });
      const byId = (id: number) => replies.find((r) => (r as { reply?: number }).reply === id) as Record<string, unknown>;
      expect(byId(1)).to.deep.equal({ reply: 1, result: undefined });
      expect((byId(2).error as { code: string }).code).to.equal('INVALID_UPDATE');
    } finally {
      iframe.remove();
    }
  });
});
