/**
 * The screenshot helper of the gallery's engine test (test/e2e/window-crop.ts): an element's box cut out of a
 * viewport screenshot, and the refusal of a capture that came back pure black.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { cropToRect, fitsViewport, pureBlackShare, refuseBlackCapture, type ViewportRect } from '../../e2e/window-crop.js';

/** A width x height PNG whose pixel (x, y) is paint(x, y) as [r, g, b]. */
function png(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Buffer {
  const img = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const [r, g, b] = paint(x, y);
      img.data[i] = r;
      img.data[i + 1] = g;
      img.data[i + 2] = b;
      img.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(img);
}

const rect = (x: number, y: number, width: number, height: number, dpr = 1): ViewportRect => ({ x, y, width, height, dpr, innerWidth: 100, innerHeight: 80 });

describe('window-crop', () => {
  test('cuts the smallest whole-pixel box holding the rect, at the device pixel ratio', () => {
    // Each pixel's red channel is its x, green its y: the crop's corner pixels say where it was cut.
    const viewport = png(100, 80, (x, y) => [x, y, 7]);
    const cut = PNG.sync.read(cropToRect(viewport, rect(10.4, 20.6, 30, 10)));
    assert.deepEqual([cut.width, cut.height], [31, 11]);
    assert.deepEqual([cut.data[0], cut.data[1]], [10, 20]);
    const last = (cut.width * cut.height - 1) * 4;
    assert.deepEqual([cut.data[last], cut.data[last + 1]], [40, 30]);
    const hidpi = PNG.sync.read(cropToRect(png(200, 160, (x, y) => [x, y, 7]), rect(5, 5, 20, 10, 2)));
    assert.deepEqual([hidpi.width, hidpi.height, hidpi.data[0], hidpi.data[1]], [40, 20, 10, 10]);
  });

  test('a box outside the screenshot throws, and fitsViewport says so first', () => {
    const viewport = png(100, 80, () => [255, 255, 255]);
    assert.equal(fitsViewport(rect(10, 70.5, 20, 9.6)), false, 'the box reaches row 81 of 80');
    assert.throws(() => cropToRect(viewport, rect(10, 70.5, 20, 9.6)), /not inside the 100x80 window screenshot/);
    assert.equal(fitsViewport(rect(10, 70, 20, 10)), true);
    assert.equal(fitsViewport(rect(-1, 0, 20, 10)), false);
  });

  test('a capture more than 20 % pure black is refused; dark themes are not pure black', () => {
    const halfBlack = png(10, 10, (x) => (x < 5 ? [0, 0, 0] : [255, 255, 255]));
    assert.equal(pureBlackShare(halfBlack), 0.5);
    assert.throws(() => refuseBlackCapture('#tile-x', halfBlack), /#tile-x: 50\.0 % of the screenshot is pure black/);
    // A dark theme's near-black background (#0f172a) and a few black pixels of text pass.
    const dark = png(10, 10, (x, y) => (y === 0 && x < 3 ? [0, 0, 0] : [0x0f, 0x17, 0x2a]));
    assert.equal(pureBlackShare(dark), 0.03);
    assert.doesNotThrow(() => refuseBlackCapture('#tile-dark', dark));
  });
});
