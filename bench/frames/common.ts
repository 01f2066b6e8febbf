/**
 * The minimal frame every contender of the peer bench (bench/peers.ts) loads: the same page (frame.html), each with
 * its library's frame side. Query: `parent` (the host page's origin), `intent` (the widget's). On load each says it
 * is ready the way its library does (one call to the host); `{ bench: 'emitOne' }`, posted raw by the host page,
 * makes it send one event to the host through its library (the relay rows).
 */
export const query = new URLSearchParams(location.search);
export const parentOrigin = query.get('parent') ?? '';
/** When this script began to run, on the clock every document shares (timeOrigin + now; 100 us steps here). */
const scriptRan = performance.timeOrigin + performance.now();

// `{ bench: 'stamp' }`: the host asks when the frame's script ran, to split its time to ready.
window.addEventListener('message', (event) => {
  if (event.source === window.parent && event.origin === parentOrigin && event.data?.bench === 'stamp') window.parent.postMessage({ bench: 'stamp', scriptRan, nav: navTimes() }, parentOrigin);
});

/** The frame document's navigation, on the shared clock: when it started, its response began, the response ended. */
function navTimes(): number[] {
  const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  const o = performance.timeOrigin;
  return n ? [o, o + n.requestStart, o + n.responseStart, o + n.responseEnd] : [];
}

export function onEmitOne(emit: () => void): void {
  window.addEventListener('message', (event) => {
    if (event.source === window.parent && event.origin === parentOrigin && event.data?.bench === 'emitOne') emit();
  });
}
