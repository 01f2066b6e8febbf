/** zoid 9 (its dist/zoid.min.js is prepended): a component rendered into a container; ready is the child's `onReady()`. */
import { deferred, register } from './common.js';

type Instance = { render(container: HTMLElement): Promise<void>; close(): Promise<void> };
declare const zoid: { create(options: object): (props: object) => Instance };
let component: ((props: object) => Instance) | null = null;

register({
  mount(url, onEvent) {
    // One component per tag per page (zoid refuses a second create); the frame URL is the same for every mount.
    component ??= zoid.create({
      tag: 'bench-payout-frame',
      url,
      dimensions: { width: '300px', height: '150px' },
      props: { onReady: { type: 'function' }, onEvent: { type: 'function' } },
    });
    const ready = deferred();
    const container = document.createElement('div');
    document.body.append(container);
    const instance = component({ onReady: () => ready.resolve(), onEvent: () => onEvent() });
    instance.render(container).catch((error) => ready.reject(error));
    return {
      ready: ready.promise,
      frames: () => [...container.querySelectorAll('iframe')],
      dispose() {
        instance.close().catch(() => {});
        container.remove();
      },
    };
  },
});
