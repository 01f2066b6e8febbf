// Generates custom-elements.json (attributes, properties, events, CSS parts and custom properties) from the
// element's JSDoc. `npm run build` runs it; package.json points `customElements` at the output.
const TAG = 'liqx-payout-widget';

export default {
  globs: ['src/payout-widget.ts'],
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
          if (mod.path === 'src/payout-widget.ts') mod.path = 'dist/index.js';
          for (const decl of mod.declarations ?? []) {
            if (!decl.customElement) continue;
            // The tag is registered in define.ts through a constant the analyzer cannot follow.
            decl.tagName ??= TAG;
            // Private fields (#x, _x) are implementation detail, not API.
            decl.members = (decl.members ?? []).filter((m) => m.privacy !== 'private' && !m.name.startsWith('#') && !m.name.startsWith('_'));
            // Internal reactive state (`{ state: true }` in static properties) has no attribute.
            decl.attributes = (decl.attributes ?? []).filter((a) => !a.name.startsWith('_') && !a.fieldName?.startsWith('_'));
            // Keep the documented `@fires` events; the analyzer also guesses names from dispatchEvent(new X(detail)).
            const seen = new Set();
            decl.events = (decl.events ?? []).filter((e) => e.name?.startsWith('liqx-') && !seen.has(e.name) && seen.add(e.name));
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
