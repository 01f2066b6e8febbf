/**
 * The one Content-Security-Policy builder of the demo's pages (the partner page, the gallery and its fake frame,
 * the mock LIQX frame page): their own scripts, styles, images and fetches only, nothing inline, no plugins.
 * What differs per page is who it may frame and who may frame it; an empty list is `'none'`.
 */
export interface PageCspOptions {
  /** Origins this page may embed in an iframe. */
  frameSrc: string[];
  /** Origins allowed to embed this page (clickjacking). */
  frameAncestors: string[];
  /** Where the page's forms may post; default `'self'`. */
  formAction?: string;
}

export function pageCsp(o: PageCspOptions): string {
  const list = (origins: string[]) => (origins.length ? origins.join(' ') : "'none'");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${list(o.frameSrc)}`,
    `frame-ancestors ${list(o.frameAncestors)}`,
    "base-uri 'none'",
    "object-src 'none'",
    `form-action ${o.formAction ?? "'self'"}`,
  ].join('; ');
}
