/** penpal 7 raw: the host connects to the iframe and exposes `ready` and `event`; ready is the frame's first call. */
import { connect, WindowMessenger } from 'penpal';
import { deferred, register, widgetLikeIframe } from './common.js';

register({
  mount(url, onEvent, options = {}) {
    const iframe = document.createElement('iframe');
    const ready = deferred();
    if (options.widgetAttributes) widgetLikeIframe(iframe);
    if (options.only === 'sandbox') iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox');
    if (options.only === 'allow') iframe.allow = 'clipboard-write';
    if (options.only === 'referrerpolicy') iframe.referrerPolicy = 'strict-origin';
    iframe.src = options.widgetAttributes || options.only === 'fragment' ? `${url}#liqx-channel=liqx-0123456789abcdef01234567` : url;
    document.body.append(iframe);
    const messenger = new WindowMessenger({ remoteWindow: iframe.contentWindow!, allowedOrigins: [new URL(url).origin] });
    const connection = connect({ messenger, methods: { ready: () => ready.resolve(), event: () => onEvent() } });
    connection.promise.catch(() => {});
    return {
      ready: ready.promise,
      frames: () => [iframe],
      dispose() {
        connection.destroy();
        iframe.remove();
      },
    };
  },
});
