/**
 * Reports the frame's content height to the host whenever it changes, at most once per animation frame,
 * so the host can size the iframe to fit without scrollbars.
 */
export function observeHeight(target: Element, report: (height: number) => void): () => void {
  let last = -1;
  let scheduled = 0;
  const measure = () => {
    scheduled = 0;
    const height = Math.ceil(target.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    report(height);
  };
  const observer = new ResizeObserver(() => {
    if (!scheduled) scheduled = requestAnimationFrame(measure);
  });
  observer.observe(target);
  measure();
  return () => {
    observer.disconnect();
    if (scheduled) cancelAnimationFrame(scheduled);
  };
}
