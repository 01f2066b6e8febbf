/**
 * The script-tag file's size, in one place: read by test/node/repo/bundle-size.test.ts (which fails the build above the
 * budget) and by `npm run bench` (bench/size.ts, whose row is judged against the goal). Gzip level 9, as a CDN
 * serves it.
 */
export const SCRIPT_TAG_SIZE = {
  file: 'dist/cdn/liqx-payout-widget.js',
  /** The hard limit: `npm test` fails above it. Raised from 16 KB to 17 KB for the overlay, theme and appearance work. */
  budgetGzip: 17 * 1024,
  /** What the file should weigh: the bench row passes at or below it; reported, never enforced by a test. */
  goalGzip: 12 * 1024,
} as const;
