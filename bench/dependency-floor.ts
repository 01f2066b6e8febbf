/**
 * The smallest element that uses the script-tag bundle's dependencies the way the widget does: a Lit
 * ReactiveElement with styles, and a zod/mini object schema with a custom check, parsing what arrives on a
 * MessagePort (the widget's channel is its own, on the platform's MessageChannel). The benchmark bundles it like the
 * real file (esbuild, minified, gzip) to show how much of the bundle's budget the dependencies alone take before any
 * widget code.
 */
import { ReactiveElement, css } from '@lit/reactive-element';
import * as z from 'zod/mini';

const Message = z.object({
  id: z.string().check(z.refine((s) => s.length <= 200)),
  height: z.optional(z.number()),
  kind: z.literal(['a', 'b']),
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
