/** post-robot 10 (its dist/post-robot.min.js is prepended): listeners for `ready` and `event` from the iframe's window. */
import { deferred, register } from './common.js';

interface Listener {
  cancel(): void;
}
declare const postRobot: { on(name: string, options: { window: Window; domain: string }, handler: () => unknown): Listener };

register({
  mount(url, onEvent) {
    const iframe = document.createElement('iframe');
    const ready = deferred();
    iframe.src = url;
    document.body.append(iframe);
    const options = { window: iframe.contentWindow!, domain: new URL(url).origin };
    const listeners = [
      postRobot.on('ready', options, () => void ready.resolve()),
      postRobot.on('event', options, () => void onEvent()),
    ];
    return {
      ready: ready.promise,
      frames: () => [iframe],
      dispose() {
        for (const l of listeners) l.cancel();
        iframe.remove();
      },
    };
  },
});
