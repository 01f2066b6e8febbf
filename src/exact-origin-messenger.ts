/**
 * penpal's WindowMessenger, minus its one `'*'`: penpal posts the handshake SYN with targetOrigin `'*'` (it does
 * not know the remote origin yet). This one posts it to each allowed origin instead, so neither side ever posts
 * to `'*'`. With `initiate` false (the host), SYNs go out only in answer to the frame's: the frame starts the
 * handshake when its script runs, and a message posted into an iframe that is still navigating can only reach
 * about:blank.
 */
import { WindowMessenger } from 'penpal';

export function exactOriginMessenger(remoteWindow: Window, allowedOrigins: string[], initiate: boolean): WindowMessenger {
  const messenger = new WindowMessenger({ remoteWindow, allowedOrigins });
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
