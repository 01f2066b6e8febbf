// @web/test-runner-visual-regression 0.10.0 re-exports `./browser/commands.mjs`, which TypeScript does not pair
// with its `commands.d.ts`: this augmentation declares the one browser function the tests use.
export {};

declare module '@web/test-runner-visual-regression' {
  /** Screenshots `element` and compares it with `screenshots/<Browser>/baseline/<name>.png` (or writes it when updating). */
  export function visualDiff(element: Node, name: string): Promise<void>;
}
