import { css } from '@lit/reactive-element';

/** The dialog's styles; everything themable is a custom property or a part. */
export const overlayStyles = css`
  [part~='overlay'] {
    box-sizing: border-box;
    width: 100%;
    height: 100%;
    max-width: none;
    max-height: none;
    margin: 0;
    padding: var(--liqx-overlay-padding, 16px);
    border: 0;
    background: transparent;
    display: none;
    align-items: center;
    justify-content: center;
  }
  [part~='overlay'][open] {
    display: flex;
  }
  [part~='overlay']::backdrop {
    background: var(--liqx-overlay-backdrop, rgba(15, 23, 42, 0.55));
  }
  [part~='dialog'] {
    box-sizing: border-box;
    width: var(--liqx-dialog-width, 480px);
    max-width: 100%;
    max-height: var(--liqx-dialog-max-height, calc(100dvh - 32px));
    overflow: auto;
    border-radius: var(--liqx-border-radius, 12px);
    box-shadow: var(--liqx-dialog-shadow, 0 20px 50px rgba(15, 23, 42, 0.35));
    outline: none;
  }
  [part~='close'] {
    align-self: flex-end;
    min-width: 44px;
    min-height: 44px;
    margin-top: 8px;
    padding: 0 16px;
    border: 1px solid currentColor;
    border-radius: 8px;
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  [part~='close']:focus-visible,
  [part~='dialog']:focus-visible {
    outline: 2px solid var(--liqx-accent-color, #2563eb);
    outline-offset: 2px;
  }
`;
