/**
 * penpal's WindowMessenger, minus its one `'*'`: penpal posts the handshake SYN with targetOrigin `'*'` (it does
 * not know the remote origin yet). This one posts it to each allowed origin instead, so neither side ever posts
 * to `'*'`. With `initiate` false (the host), SYNs go out only in answer to the frame's: the frame starts the
 * handshake when its script runs, and a message posted into an iframe that is still navigating can only reach
 * about:blank.
 *
 * It also drops handshake messages penpal would choke on: penpal compares a SYN's `participantId` with `>`, so a
 * SYN from the allowed origin whose participantId is an object without a primitive value threw an uncaught
 * TypeError inside the page's message listener.
 */
import { WindowMessenger } from 'penpal';

export function exactOriginMessenger(remoteWindow: Window, allowedOrigins: string[], initiate: boolean): WindowMessenger {
  const messenger = new WindowMessenger({ remoteWindow, allowedOrigins });
  const initialize = messenger.initialize;
  messenger.initialize = (options) =>
    initialize({
      ...options,
      validateReceivedMessage: ((data: unknown) => options.validateReceivedMessage(data) && wellFormed(data)) as typeof options.validateReceivedMessage,
    });
  const send = messenger.sendMessage;
  let sending = initiate;
  // Added before penpal's own handler (connect() adds it later), so it runs first and penpal's answer goes out.
  messenger.addMessageHandler((message) => void (message.type === 'SYN' && (sending = true)));
  messenger.sendMessage = (message, transferables) => {
    if (message.type !== 'SYN') return send(message, transferables);
    if (sending) for (const targetOrigin of allowedOrigins) remoteWindow.postMessage(message, { targetOrigin });
  };
  return messenger;
}

/** A SYN must carry a string participantId; everything else penpal checks itself. */
function wellFormed(data: unknown): boolean {
  const message = data as { type?: unknown; participantId?: unknown };
  return message.type !== 'SYN' || typeof message.participantId === 'string';
}
