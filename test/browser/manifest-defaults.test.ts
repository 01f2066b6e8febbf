/**
 * The defaults partners read in custom-elements.json (from the element's `@default` tags) are the values a new
 * element has: the element keeps its property values in a table of its own, so the two are written apart.
 */
import { expect } from '@open-wc/testing';
import '../../src/define.js';

interface Member {
  kind: string;
  name: string;
  default?: string;
}

/** A manifest default as written in the source: null, a quoted string, a number (with `_` separators). */
function literal(text: string): unknown {
  if (text === 'null') return null;
  if (/^'[^'\\]*'$/.test(text)) return text.slice(1, -1);
  if (/^\d[\d_]*$/.test(text)) return Number(text.replaceAll('_', ''));
  throw new Error(`a default this test cannot read: ${text}`);
}

describe('custom-elements.json defaults', () => {
  it('every documented default is the value of a new element, and every reactive property has one', async () => {
    const manifest = await (await fetch('/custom-elements.json')).json();
    const decl = manifest.modules.flatMap((m: { declarations: unknown[] }) => m.declarations).find((d: { tagName?: string }) => d.tagName === 'liqx-payout-widget');
    const el = document.createElement('liqx-payout-widget') as unknown as Record<string, unknown>;
    const fields = (decl.members as Member[]).filter((m) => m.kind === 'field' && m.default !== undefined);
    for (const m of fields) expect(el[m.name], `${m.name}: documented default ${m.default}`).to.equal(literal(m.default!));
    const Ctor = customElements.get('liqx-payout-widget') as unknown as { properties: Record<string, unknown> };
    // appearance has no default value to show: it reads back as null until set.
    const undocumented = Object.keys(Ctor.properties).filter((name) => name !== 'appearance' && !fields.some((m) => m.name === name));
    expect(undocumented, 'reactive properties without a documented default').to.deep.equal([]);
  });
});
