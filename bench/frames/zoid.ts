/** zoid 9 (dist/zoid.min.js, prepended by bench/peers.ts): the child of the component; calls `xprops.onReady()`, one `onEvent()` per event. */
import { onEmitOne, parentOrigin } from './common.js';

declare const zoid: { create(options: object): unknown };
zoid.create({
  tag: 'bench-payout-frame',
  url: location.href.split('#')[0],
  allowedParentDomains: [parentOrigin],
  props: { onReady: { type: 'function' }, onEvent: { type: 'function' } },
});
const xprops = (window as unknown as { xprops: { onReady(): Promise<void>; onEvent(): Promise<void> } }).xprops;
onEmitOne(() => void xprops.onEvent());
void xprops.onReady();
