/**
 * The smallest element that uses what the script-tag bundle is built on the way the widget does: a Lit
 * ReactiveElement with styles (the one library), and an object schema of the protocol's schema builders with a
 * custom check, parsing what arrives on a MessagePort (the widget's channel is its own, on the platform's MessageChannel). The benchmark bundles it like the
 * real file (esbuild, minified, gzip) to show how much of the bundle's budget the dependencies alone take before any
 * widget code.
 */
import { ReactiveElement, css } from '@lit/reactive-element';
import * as v from '../src/protocol/wire-schema.js';

const Message = v.object({
  id: v.string().check(v.refine((s) => s.length <= 200)),
  height: v.optional(v.number()),
  kind: v.literal(['a', 'b']),
});

class FloorElement extends ReactiveElement {
  static override styles = css`:host { display: block; }`;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('message', (event) => {
      const port = event.ports[0];
      if (event.origin === location.origin && port) port.onmessage = (e) => port.postMessage(Message.safeParse(e.data).success);
    });
  }
}
customElements.define('floor-element', FloorElement);
