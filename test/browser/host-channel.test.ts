/**
 * The channel both sides use: the frame's hello is one window message carrying a MessagePort; the host hears it only
 * from the exact origin, its own iframe's window and its channel id, answers on the port, and never posts to '*'
 * (nor into the iframe's window at all). The frame SDK posts its hello to each allowed parent origin, never to '*'.
 */
import { expect, waitUntil } from '@open-wc/testing';
import { HostChannel } from '../../src/element/host-channel.js';
import { connectToHost, FrameSdkError } from '../../src/frame/index.js';

const LIQX = 'https://liqx.example';

/** A same-origin about:blank iframe standing in for the widget frame (its window is the only source heard). */
function frame(): HTMLIFrameElement {
  const iframe = document.createElement('iframe');
  iframe.title = 'stand-in frame';
  document.body.append(iframe);
  return iframe;
}

/** Delivers a hello to this window as if `source` had posted it from `origin`; resolves with what comes back on its port. */
function hello(source: Window | null, origin: string, data: unknown, withPort = true): { answer: Promise<unknown>; port: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  const answer = new Promise<unknown>((resolve) => (port1.onmessage = (e) => resolve(e.data)));
  window.dispatchEvent(new MessageEvent('message', { source, origin, data, ports: withPort ? [port2] : [] }));
  return { answer, port: port1 };
}

/** Lets queued port messages arrive, then reports whether `promise` has settled. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  // A round trip on a port of our own: messages posted before it have been delivered by the time it returns.
  const { port1, port2 } = new MessageChannel();
  await new Promise((r) => ((port1.onmessage = r), port2.postMessage(0)));
  await new Promise((r) => setTimeout(r, 20));
  return done;
}

describe('HostChannel', () => {
  let iframe: HTMLIFrameElement;
  let channel: HostChannel;
  let hellos: unknown[];
  beforeEach(() => {
    iframe = frame();
    hellos = [];
    channel = new HostChannel({
      iframe,
      origin: LIQX,
      channel: 'c1',
      hello: (raw) => {
        hellos.push(raw);
        if ((raw as { bad?: boolean })?.bad) throw { code: 'INVALID_MESSAGE', message: 'bad hello', issues: ['bad'] };
        return { ok: true };
      },
      handle: (method, arg) => ({ method, arg }),
    });
  });
  afterEach(() => {
    channel.destroy();
    iframe.remove();
  });

  it('hears a hello only from the exact origin, its own iframe window, its channel id, with a port', async () => {
    const other = frame();
    try {
      const ignored = [
        hello(iframe.contentWindow, 'https://liqx.example.evil', { channel: 'c1', hello: 1 }),
        hello(iframe.contentWindow, 'http://liqx.example', { channel: 'c1', hello: 2 }),
        hello(other.contentWindow, LIQX, { channel: 'c1', hello: 3 }),
        hello(window, LIQX, { channel: 'c1', hello: 4 }),
        hello(null, LIQX, { channel: 'c1', hello: 5 }),
        hello(iframe.contentWindow, LIQX, { channel: 'c2', hello: 6 }),
        hello(iframe.contentWindow, LIQX, { hello: 7 }),
        hello(iframe.contentWindow, LIQX, null),
        hello(iframe.contentWindow, LIQX, { channel: 'c1', hello: 8 }, false),
      ];
      for (const { answer } of ignored) expect(await settled(answer), 'an ignored hello is never answered').to.equal(false);
      expect(hellos).to.deep.equal([]);
      expect(channel.connected).to.equal(false);

      const { answer, port } = hello(iframe.contentWindow, LIQX, { channel: 'c1', hello: { protocol: 1 } });
      expect(await answer).to.deep.equal({ reply: 0, result: { ok: true } });
      expect(hellos).to.deep.equal([{ protocol: 1 }]);
      expect(channel.connected).to.equal(true);
      // Later calls travel on the port, both ways.
      const reply = new Promise((resolve) => (port.onmessage = (e) => resolve(e.data)));
      port.postMessage({ call: 1, method: 'emit', arg: { x: 1 } });
      expect(await reply).to.deep.equal({ reply: 1, result: { method: 'emit', arg: { x: 1 } } });
    } finally {
      other.remove();
    }
  });

  it('answers a refused hello with the error on its port and keeps the channel it had', async () => {
    const first = hello(iframe.contentWindow, LIQX, { channel: 'c1', hello: {} });
    await first.answer;
    const refused = hello(iframe.contentWindow, LIQX, { channel: 'c1', hello: { bad: true } });
    expect(await refused.answer).to.deep.equal({ reply: 0, error: { code: 'INVALID_MESSAGE', message: 'bad hello', issues: ['bad'] } });
    expect(channel.connected).to.equal(true);
    // The host's calls still go to the first port.
    const call = new Promise((resolve) => (first.port.onmessage = (e) => resolve(e.data)));
    void channel.call('requestClose').catch(() => {});
    expect(await call).to.deep.include({ method: 'requestClose' });
  });

  it('refuses to trust "*"', () => {
    expect(() => new HostChannel({ iframe, origin: '*', channel: 'c', hello: () => ({}), handle: () => ({}) })).to.throw();
  });
});

describe('frame SDK hello', () => {
  it('goes to each allowed parent origin with its own port, never to "*", and times out typed when unanswered', async () => {
    const iframe = frame();
    const posts: Array<{ message: unknown; targetOrigin: string; ports: number }> = [];
    const win = iframe.contentWindow!;
    (win as unknown as { postMessage: unknown }).postMessage = (message: unknown, options: { targetOrigin: string; transfer?: unknown[] }) => {
      posts.push({ message, targetOrigin: options.targetOrigin, ports: options.transfer?.length ?? 0 });
    };
    try {
      const connecting = connectToHost({ allowedParentOrigins: ['https://a.example', 'https://b.example:8443'], channel: 'c9', sessionId: 'ses_1', parentWindow: win, handshakeTimeout: 200 });
      let failure: unknown;
      connecting.catch((e) => (failure = e));
      await waitUntil(() => failure, 'the unanswered hello to time out', { timeout: 5000 });
      expect(failure).to.be.instanceOf(FrameSdkError);
      expect((failure as FrameSdkError).code).to.equal('HANDSHAKE_TIMEOUT');
      expect(posts.map((p) => p.targetOrigin)).to.deep.equal(['https://a.example', 'https://b.example:8443']);
      expect(posts.every((p) => p.ports === 1)).to.equal(true);
      expect(posts[0]!.message).to.deep.equal({ channel: 'c9', hello: { protocol: 1, sessionId: 'ses_1', ready: undefined } });
    } finally {
      iframe.remove();
    }
  });

  it('needs intentId to carry ready in the hello', async () => {
    let failure: unknown;
    await connectToHost({ allowedParentOrigins: [location.origin], channel: 'c', sessionId: 's', parentWindow: {} as Window, ready: true }).catch((e) => (failure = e));
    expect((failure as FrameSdkError).code).to.equal('INVALID_OPTIONS');
  });
});
