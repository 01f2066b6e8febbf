// Generates custom-elements.json (attributes, properties, events, CSS parts and custom properties) from the
// element's JSDoc. `npm run build` runs it; package.json points `customElements` at the output.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const TAG = 'liqx-payout-widget';

/**
 * The rows of the event table (`EVENTS` in src/protocol/events.ts): name, callback property and the row's doc comment.
 * The manifest's events and callback members come from here, so the table stays the one place that lists them.
 */
function eventTable(file = 'src/protocol/events.ts') {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let table;
  const find = (node) => {
    if (ts.isVariableDeclaration(node) && node.name.getText() === 'EVENTS') table = node.initializer;
    else ts.forEachChild(node, find);
  };
  find(source);
  while (table && !ts.isObjectLiteralExpression(table)) table = table.expression;
  if (!table) throw new Error(`no EVENTS table in ${file}`);
  return table.properties.map((prop) => {
    const fields = Object.fromEntries(prop.initializer.properties.map((f) => [f.name.getText(), f.initializer.getText().replace(/^'|'$/g, '')]));
    const doc = ts.getJSDocCommentsAndTags(prop).map((d) => ts.getTextOfJSDocComment(d.comment) ?? '').join(' ').trim();
    return { name: prop.name.text, callback: fields.callback, description: doc };
  });
}

export default {
  globs: ['src/element/payout-widget.ts'],
  outdir: '.',
  litelement: true,
  // package.json already names the manifest (`customElements`); the build must not rewrite package.json.
  packagejson: false,
  plugins: [
    {
      name: 'liqx-manifest-cleanup',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules ?? []) {
          // Point at the shipped module (src/ is not published); the class is exported from the main entry.
          if (mod.path === 'src/element/payout-widget.ts') mod.path = 'dist/index.js';
          for (const decl of mod.declarations ?? []) {
            if (!decl.customElement) continue;
            // The tag is registered in define.ts through a constant the analyzer cannot follow.
            decl.tagName ??= TAG;
            // Private fields (#x, _x) are implementation detail, not API.
            decl.members = (decl.members ?? []).filter((m) => m.privacy !== 'private' && !m.name.startsWith('#') && !m.name.startsWith('_'));
            // Internal reactive state (`{ state: true }` in static properties) has no attribute.
            decl.attributes = (decl.attributes ?? []).filter((a) => !a.name.startsWith('_') && !a.fieldName?.startsWith('_'));
            // Events and callback properties from the event table (the analyzer's own guesses are dropped).
            const rows = eventTable();
            decl.events = rows.map((r) => ({ name: r.name, type: { text: `LiqxEvent<'${r.name}'>` }, description: r.description }));
            const callbacks = new Set(rows.map((r) => r.callback));
            decl.members = decl.members.filter((m) => !callbacks.has(m.name));
            for (const r of rows) {
              decl.members.push({
                kind: 'field',
                name: r.callback,
                type: { text: `((detail: DetailOf<'${r.name}'>) => void) | null` },
                default: 'null',
                description: `Called with the detail of \`${r.name}\`: ${r.description}`,
              });
            }
            mod.exports ??= [];
            if (!mod.exports.some((x) => x.kind === 'custom-element-definition')) {
              mod.exports.push({ kind: 'custom-element-definition', name: TAG, declaration: { name: decl.name, module: mod.path } });
            }
            for (const x of mod.exports) if (x.declaration) x.declaration.module = mod.path;
          }
        }
      },
    },
  ],
};
