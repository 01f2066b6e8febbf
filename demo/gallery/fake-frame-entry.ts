/**
 * The gallery's fake LIQX frame page: the package's fake frame (src/testing/fake-frame.ts, what
 * dist/testing/fake-frame.js is built from), plus one thing a real LIQX page does too: it paints in the theme the
 * host handed over in its answer to hello (`document.documentElement.dataset.theme`, like demo/frame/main.ts).
 *
 * The fake frame is loaded with a dynamic import: package.json's `sideEffects` does not list src/testing/fake-frame.ts
 * (partners get it as dist/testing/fake-frame.js), so a bare static import would be tree-shaken away.
 */
import type { FakeFrameDriver } from '../../src/testing/index.js';

// Installed before the fake frame runs: it publishes its driver here once the widget has answered its hello.
let driver: FakeFrameDriver | undefined;
Object.defineProperty(window, 'liqxFakeFrame', {
  configurable: true,
  get: () => driver,
  set(value: FakeFrameDriver) {
    driver = value;
    document.documentElement.dataset.theme = value.theme;
  },
});

void import('../../src/testing/fake-frame.js');
