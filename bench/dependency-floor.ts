/**
 * The smallest element that uses the script-tag bundle's three dependencies the way the widget does: a Lit
 * ReactiveElement with styles, a penpal window channel, and a zod/mini object schema with a custom check. The
 * benchmark bundles it like the real file (esbuild, minified, gzip) to show how much of the bundle's budget the
 * dependencies alone take before any widget code.
 */
import { ReactiveElement, css } from '@lit/reactive-element';
import { connect, WindowMessenger } from 'penpal';
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
    const messenger = new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [location.origin] });
    connect({ messenger, methods: { emit: (raw: unknown) => Message.safeParse(raw).success } });
  }
}
customElements.define('floor-element', FloorElement);
