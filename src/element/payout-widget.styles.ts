import { css } from '@lit/reactive-element';

/**
 * The element's own chrome. Adopted stylesheets, so a strict `style-src 'self'` CSP needs nothing extra.
 * Everything themable is a `--liqx-*` custom property or a `::part()`.
 */
export const styles = css`
  :host {
    display: block;
    box-sizing: border-box;
    font-family: var(--liqx-font-family, system-ui, -apple-system, 'Segoe UI', 'Noto Sans KR', sans-serif);
    color: var(--liqx-text-color, #0f172a);
  }
  /* The box's colours, light by default; theme="dark" (or "auto" in a dark scheme) swaps the defaults, and every
     --liqx-* property set by the page still wins. */
  [part~='base'] {
    --t: var(--liqx-text-color, #0f172a);
    --m: var(--liqx-muted-color, #475569);
    --a: var(--liqx-accent-color, #2563eb);
    --bg: var(--liqx-background, #ffffff);
    --bd: var(--liqx-border, 1px solid #e2e8f0);
    --e: var(--liqx-error-color, #b91c1c);
    --eb: var(--liqx-error-background, #fef2f2);
    --tr: var(--liqx-spinner-track, #e2e8f0);
  }
  [part~='base'].dark {
    --t: var(--liqx-text-color, #e2e8f0);
    --m: var(--liqx-muted-color, #94a3b8);
    --a: var(--liqx-accent-color, #60a5fa);
    --bg: var(--liqx-background, #0f172a);
    --bd: var(--liqx-border, 1px solid #334155);
    --e: var(--liqx-error-color, #fca5a5);
    --eb: var(--liqx-error-background, #450a0a);
    --tr: var(--liqx-spinner-track, #334155);
  }
  :host([hidden]) {
    display: none;
  }
  [part~='base'] {
    position: relative;
    min-height: var(--liqx-min-height, 160px);
    border: var(--bd);
    border-radius: var(--liqx-border-radius, 12px);
    background: var(--bg);
    color: var(--t);
    font-family: var(--liqx-font-family, inherit);
    overflow: hidden;
  }
  :host([state='idle']) [part~='base'] {
    min-height: 0;
    border: none;
  }
  [part~='frame'] {
    display: block;
    width: 100%;
    height: var(--liqx-frame-height, 480px);
    border: 0;
    background: transparent;
    transition: opacity 150ms ease;
  }
  [part~='frame'].pending {
    opacity: 0;
  }
  [part~='loading'] {
    position: absolute;
    inset: 0;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 12px;
    color: var(--m);
    font-size: 14px;
    /* Shown only when loading takes long enough to notice: a frame that is ready sooner never flashes a spinner,
       and no animation runs (a running spinner is a compositor frame every 16 ms, CPU the loading frame needs on a
       small device). The box itself is there at once, so nothing moves when the frame arrives. */
    animation: liqx-reveal 150ms ease-out 300ms both;
  }
  [part~='spinner'] {
    width: 28px;
    height: 28px;
    border-radius: 50%;
    border: 3px solid var(--tr);
    border-top-color: var(--a);
    animation: liqx-spin 800ms linear 300ms infinite;
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='spinner'] {
      animation-duration: 2400ms;
    }
  }
  @keyframes liqx-spin {
    to {
      transform: rotate(360deg);
    }
  }
  @keyframes liqx-reveal {
    from {
      opacity: 0;
    }
  }
  [part~='error'] {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 16px 20px;
    color: var(--e);
    background: var(--eb);
    font-size: 14px;
  }
  [part~='error'] strong {
    font-weight: 600;
  }
  [part~='error'] code {
    font-family: var(--liqx-font-family-mono, ui-monospace, monospace);
    font-size: 12px;
    color: var(--m);
  }
`;
