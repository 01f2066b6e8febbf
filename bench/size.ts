/**
 * Bytes: the script-tag file (minified, gzip level 9) against its goal and budget (build/size-budget.ts, the same
 * constant test/node/repo/bundle-size.test.ts reads), and the dependency floor beside it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { build as esbuild } from 'esbuild';
import { SCRIPT_TAG_SIZE } from '../build/size-budget.js';
import type { Report } from './stats.js';

export const BUNDLE = SCRIPT_TAG_SIZE.file;
export const gzipBytes = (bytes: Uint8Array | string): number => gzipSync(bytes, { level: 9 }).length;

export function ensureBundle(): void {
  if (existsSync(BUNDLE)) return;
  console.error(`# ${BUNDLE} missing: building it (vite build --mode script-tag)`);
  const res = spawnSync('npx', ['vite', 'build', '--mode', 'script-tag', '--logLevel', 'error'], { stdio: 'inherit' });
  if (res.status !== 0) throw new Error('vite build --mode script-tag failed');
}

export function bundleRows({ rows }: Report): void {
  ensureBundle();
  const raw = readFileSync(BUNDLE);
  const gzip = gzipBytes(raw);
  const { goalGzip, budgetGzip } = SCRIPT_TAG_SIZE;
  rows.push({ metric: 'script-tag bundle, minified', value: raw.length, unit: 'B', goal: '(reported)', pass: null });
  rows.push({ metric: 'script-tag bundle, gzip', value: gzip, unit: 'B', goal: `<= ${goalGzip} B (goal; budget ${budgetGzip} B in npm test)`, pass: gzip <= goalGzip });
}

/** The frame SDK's goal: what the LIQX frame page loads before it can say hello (penpal's own frame side is ~3.5 KB). */
export const FRAME_SDK_GOAL_GZIP = 5 * 1024;

/**
 * What the dependencies alone cost: bench/dependency-floor.ts (ReactiveElement + the protocol's schema builders, used minimally)
 * and the real script-tag entry, both bundled the same way by esbuild (minified, gzip level 9), so the difference
 * is the widget's own code. Reported, not a goal: it says how far below the bundle goal any widget could go.
 * Beside them, the frame SDK alone (what the LIQX frame page pays for the protocol), against its own goal.
 */
export async function dependencyFloorRow({ rows, notes }: Report): Promise<void> {
  const gzipOf = async (entry: string) => {
    const out = await esbuild({ entryPoints: [entry], bundle: true, minify: true, format: 'esm', target: 'es2022', write: false, logLevel: 'silent' });
    return gzipBytes(out.outputFiles[0]!.contents);
  };
  const floor = await gzipOf('bench/dependency-floor.ts');
  const full = await gzipOf('src/script-tag.ts');
  const frame = await gzipOf('src/frame/index.ts');
  rows.push({ metric: 'dependency floor (Lit ReactiveElement + the schema builders, no widget code), gzip', value: floor, unit: 'B', goal: '(reported)', pass: null });
  rows.push({ metric: 'frame SDK script (src/frame), gzip', value: frame, unit: 'B', goal: `<= ${FRAME_SDK_GOAL_GZIP} B`, pass: frame <= FRAME_SDK_GOAL_GZIP });
  notes.push(`bundle by esbuild alone: dependency floor ${floor} B gzip, full script-tag entry ${full} B gzip: the widget's own code adds ${full - floor} B`);
}
