import { transform } from 'lightningcss';
import type { Plugin } from 'vite';

/**
 * Minifies the CSS inside css`...` tagged templates of `*.styles.ts` modules (lightningcss, the minifier Vite
 * itself uses). Only those modules, which hold nothing but styles, and only templates without `${}`
 * interpolations, so no code around the CSS can be touched.
 */
export function minifyCssTemplates(): Plugin {
  return {
    name: 'liqx:minify-css-templates',
    transform(code, id) {
      if (!/\.styles\.ts$/.test(id)) return null;
      const out = code.replace(/\bcss`([^`$\\]*)`/g, (_match, body: string) => {
        const { code: min } = transform({ filename: id, code: Buffer.from(body), minify: true });
        return `css\`${min.toString().trim()}\``;
      });
      return { code: out, map: null };
    },
  };
}
