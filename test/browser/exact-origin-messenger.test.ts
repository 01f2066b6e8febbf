/**
 * The penpal messenger both sides use: penpal's own WindowMessenger posts its handshake SYN to '*'; this one
 * posts every message to an exact allowed origin, and the host's first SYN only in answer to the frame's.
 */
import { expect } from '@open-wc/testing';
import type { Message } from 'penpal';
import { exactOriginMessenger } from '../../src/exact-origin-messenger.js';

const LIQX = 'https://liqx.example';
const syn = (participantId: string) => ({ namespace: 'penpal', type: 'SYN', channel: 'c1', participantId }) as unknown as Message;

/** A same-origin about:blank iframe whose window records every postMessage call made to it. */
function recordingWindow(): { win: Window; posts: Array<{ message: Message; targetOrigin: string }>; remove(): void } {
  const iframe = document.createElement('iframe');
  iframe.title = 'recording window';
  document.body.append(iframe);
  const win = iframe.contentWindow!;
  const posts: Array<{ message: Message; targetOrigin: string }> = [];
  (win as unknown as { postMessage: unknown }).postMessage = (message: Message, options: { targetOrigin: string }) => {
    posts.push({ message, targetOrigin: options.targetOrigin });
  };
  return { win, posts, remove: () => iframe.remove() };
}

/** Delivers `data` to this window as if `source` had posted it from `origin`. */
function deliver(source: Window, origin: string, data: unknown): void {
  window.dispatchEvent(new MessageEvent('message', { source, origin, data }));
}

describe('exactOriginMessenger', () => {
  it('host (initiate false): sends no SYN before the frame has sent one, then answers to the exact origin', () => {
    const remote = recordingWindow();
    const messenger = exactOriginMessenger(remote.win, [LIQX], false);
    const received: Message[] = [];
    messenger.initialize({ validateReceivedMessage: (data: unknown): data is Message => (data as { namespace?: string })?.namespace === 'penpal' });
    messenger.addMessageHandler((m) => received.push(m));
    try {
      messenger.sendMessage(syn('host'));
      expect(remote.posts, 'nothing is posted into a frame that has not spoken').to.have.length(0);

      deliver(remote.win, LIQX, syn('frame'));
      expect(received.map((m) => m.type)).to.deep.equal(['SYN']);
      messenger.sendMessage(syn('host'));
      messenger.sendMessage({ namespace: 'penpal', type: 'ACK1', channel: 'c1', methodPaths: [] } as unknown as Message);
      expect(remote.posts.map((p) => [p.message.type, p.targetOrigin])).to.deep.equal([
        ['SYN', LIQX],
        ['ACK1', LIQX],
      ]);
    } finally {
      messenger.destroy();
      remote.remove();
    }
  });

  it('a SYN from another origin or another window does not open the host side', () => {
    const remote = recordingWindow();
    const stranger = recordingWindow();
    const messenger = exactOriginMessenger(remote.win, [LIQX], false);
    messenger.initialize({ validateReceivedMessage: (data: unknown): data is Message => (data as { namespace?: string })?.namespace === 'penpal' });
    try {
      deliver(remote.win, 'https://evil.example', syn('evil'));
      deliver(stranger.win, LIQX, syn('stranger'));
      messenger.sendMessage(syn('host'));
      expect(remote.posts).to.have.length(0);
      expect(stranger.posts).to.have.length(0);
    } finally {
      messenger.destroy();
      remote.remove();
      stranger.remove();
    }
  });

  it('frame (initiate true): its SYN goes to each allowed parent origin, never to "*"', () => {
    const parent = recordingWindow();
    const origins = [LIQX, 'https://partner.example'];
    const messenger = exactOriginMessenger(parent.win, origins, true);
    messenger.initialize({ validateReceivedMessage: (data: unknown): data is Message => (data as { namespace?: string })?.namespace === 'penpal' });
    try {
      messenger.sendMessage(syn('frame'));
      expect(parent.posts.map((p) => p.targetOrigin)).to.deep.equal(origins);
      expect(parent.posts.every((p) => p.message.type === 'SYN')).to.equal(true);
    } finally {
      messenger.destroy();
      parent.remove();
    }
  });

  it('drops a SYN whose participantId is not a string (penpal would throw comparing it), from the allowed origin too', () => {
    const remote = recordingWindow();
    const messenger = exactOriginMessenger(remote.win, [LIQX], false);
    const received: Message[] = [];
    messenger.initialize({ validateReceivedMessage: (data: unknown): data is Message => (data as { namespace?: string })?.namespace === 'penpal' });
    messenger.addMessageHandler((m) => received.push(m));
    try {
      // Found by the hostile-input fuzz test: `participantId > remoteParticipantId` throws for this value.
      const unconvertible = { toString: 'x', valueOf: 'y' };
      for (const participantId of [unconvertible, 42, null, ['a']]) {
        deliver(remote.win, LIQX, { namespace: 'penpal', type: 'SYN', channel: 'c1', participantId });
      }
      expect(received, 'none reaches penpal').to.have.length(0);
      messenger.sendMessage(syn('host'));
      expect(remote.posts, 'and none opens the host side').to.have.length(0);
      deliver(remote.win, LIQX, syn('frame'));
      expect(received.map((m) => m.type), 'a well-formed SYN still does').to.deep.equal(['SYN']);
    } finally {
      messenger.destroy();
      remote.remove();
    }
  });
});
