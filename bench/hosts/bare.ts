/** The floor: a bare iframe; ready is the frame's one raw postMessage. */
import { deferred, register } from './common.js';

register({
  mount(url, onEvent) {
    const iframe = document.createElement('iframe');
    const origin = new URL(url).origin;
    const ready = deferred();
    const onMessage = (event: MessageEvent) => {
      if (event.source !== iframe.contentWindow || event.origin !== origin) return;
      if (event.data?.bench === 'ready') ready.resolve();
      else if (event.data?.bench === 'event') onEvent();
    };
    window.addEventListener('message', onMessage);
    iframe.src = url;
    document.body.append(iframe);
    return {
      ready: ready.promise,
      frames: () => [iframe],
      dispose() {
        window.removeEventListener('message', onMessage);
        iframe.remove();
      },
    };
  },
});
