/**
 * An element's screenshot cut out of a screenshot of the whole viewport, for drivers whose own element screenshots
 * cannot be trusted: WebKitGTK's WebDriver returns element screenshots that are partly or wholly black under Xvfb,
 * while its window screenshots are right. The same path serves every engine, so each takes its shots one way.
 */
import { PNG } from 'pngjs';

/** An element's border box in CSS pixels relative to the viewport, with what is needed to map it to the screenshot. */
export interface ViewportRect {
  x: number;
  y: number;
  width: number;
  height: number;
  dpr: number;
  innerWidth: number;
  innerHeight: number;
}

/**
 * A page expression (JSON value): the rect of the first element matching each of `selectors` (null where nothing
 * matches), as the page is scrolled now.
 */
export function rectsExpression(selectors: readonly string[]): string {
  return `${JSON.stringify(selectors)}.map((css) => {
    const el = document.querySelector(css);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height, dpr: devicePixelRatio, innerWidth, innerHeight };
  })`;
}

/**
 * A page expression that scrolls the first element matching `css` to the middle of the viewport (true), or false
 * when nothing matches. The middle, not the nearest edge: a box on a fractional offset covers one more device pixel
 * than its size, which must lie inside the viewport to be cut out of its screenshot. The offset scrolled to is a
 * whole device pixel, computed here: `scrollIntoView` asks for a fractional one, which Firefox rounds for layout
 * but may first draw as asked, so a screenshot right after it showed the page a pixel off from its rects.
 */
export function scrollToMiddleExpression(css: string): string {
  return `(() => {
    const el = document.querySelector(${JSON.stringify(css)});
    if (!el) return false;
    const r = el.getBoundingClientRect();
    const whole = (v) => Math.round(v * devicePixelRatio) / devicePixelRatio;
    scrollTo({ left: whole(scrollX + r.left + r.width / 2 - innerWidth / 2), top: whole(scrollY + r.top + r.height / 2 - innerHeight / 2), behavior: 'instant' });
    return true;
  })()`;
}

/** The smallest whole-device-pixel box that holds the rect (how Playwright rounds an element's clip). */
function deviceBox(rect: ViewportRect) {
  return {
    x0: Math.floor(rect.x * rect.dpr + 1e-3),
    y0: Math.floor(rect.y * rect.dpr + 1e-3),
    x1: Math.ceil((rect.x + rect.width) * rect.dpr - 1e-3),
    y1: Math.ceil((rect.y + rect.height) * rect.dpr - 1e-3),
  };
}

/** Whether the rect's pixel box lies wholly inside the viewport (else the viewport must grow before the shot). */
export function fitsViewport(rect: ViewportRect): boolean {
  const { x0, y0, x1, y1 } = deviceBox(rect);
  return x0 >= 0 && y0 >= 0 && x1 <= Math.floor(rect.innerWidth * rect.dpr) && y1 <= Math.floor(rect.innerHeight * rect.dpr);
}

/** Cuts the rect's pixel box out of a viewport screenshot; throws when the box is not inside the screenshot. */
export function cropToRect(viewportPng: Buffer, rect: ViewportRect): Buffer {
  const img = PNG.sync.read(viewportPng);
  const { x0, y0, x1, y1 } = deviceBox(rect);
  if (x0 < 0 || y0 < 0 || x1 > img.width || y1 > img.height || x1 <= x0 || y1 <= y0) {
    throw new Error(`element box ${x0},${y0}-${x1},${y1} (device pixels) is not inside the ${img.width}x${img.height} window screenshot`);
  }
  const out = new PNG({ width: x1 - x0, height: y1 - y0 });
  PNG.bitblt(img, out, x0, y0, x1 - x0, y1 - y0, 0, 0);
  return PNG.sync.write(out);
}

/** The share (0..1) of a PNG's pixels that are exactly #000000 (alpha ignored). */
export function pureBlackShare(png: Buffer): number {
  const img = PNG.sync.read(png);
  let black = 0;
  for (let i = 0; i < img.data.length; i += 4) if (img.data[i] === 0 && img.data[i + 1] === 0 && img.data[i + 2] === 0) black++;
  return black / (img.width * img.height);
}

/**
 * A broken capture (a driver that could not read the compositor's pixels) comes back pure black, in whole or in
 * bands. No payout screen, in any theme, paints more than a few pixels exactly black (rgb 0 0 0), so past this
 * share the shot is refused: never compared, never written as a baseline.
 */
export const MAX_PURE_BLACK = 0.2;

/** Throws, naming the shot, when more than MAX_PURE_BLACK of it is exactly black. */
export function refuseBlackCapture(name: string, png: Buffer): void {
  const share = pureBlackShare(png);
  if (share > MAX_PURE_BLACK) {
    throw new Error(
      `${name}: ${(share * 100).toFixed(1)} % of the screenshot is pure black (#000), more than ${MAX_PURE_BLACK * 100} %: a broken capture, refused (not compared, not written as a baseline)`,
    );
  }
}
