import { transform } from 'lightningcss';
import type { Plugin } from 'vite';

/**
 * Minifies the CSS inside css`...` tagged templates of `*.styles.ts` modules (lightningcss, the minifier Vite
 * itself uses) and makes each an `unsafeCSS()` of the minified literal. Only those modules, which hold nothing but
 * styles, and only templates without `${}` interpolations (a literal is exactly what css`...` would accept), so no
 * code around the CSS can be touched.
 */
export function minifyCssTemplates(): Plugin {
  return {
    name: 'liqx:minify-css-templates',
    transform(code, id) {
      if (!/\.styles\.ts$/.test(id)) return null;
      let replaced = 0;
      const out = code.replace(/\bcss`([^`$\\]*)`/g, (_match, body: string) => {
        const { code: min } = transform({ filename: id, code: Buffer.from(body), minify: true });
        replaced++;
        return `__liqxStaticCss(${JSON.stringify(min.toString().trim())})`;
      });
      // A template without interpolations needs none of css`...`'s checks: unsafeCSS() makes the same CSSResult from
      // the literal, and a bundle that no longer uses `css` drops it with its error messages (about 120 B gzip).
      return { code: replaced ? `import { unsafeCSS as __liqxStaticCss } from '@lit/reactive-element';\n${out}` : out, map: null };
    },
  };
}
