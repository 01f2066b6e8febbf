/**
 * A private fontconfig set-up for one process tree: a temp folder holding copies of a few of the machine's font
 * files, a config that offers only that folder (with the system's alias rules, so `monospace` and `sans-serif`
 * still resolve), and its own cache. Browsers on Linux (Chromium, Firefox, WebKitGTK) read FONTCONFIG_FILE from
 * their environment, so a test can draw the same pages under two different "system font" sets and show that the
 * screenshots do not depend on them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

export class FontSetupError extends Error {
  override name = 'FontSetupError';
}

export interface FontSetup {
  /** A label for messages, e.g. `DejaVu Serif only`. */
  label: string;
  /** The config file: pass it as FONTCONFIG_FILE. */
  file: string;
  /** The font files it offers (copies in its own folder). */
  fonts: string[];
  /** `{ ...base, FONTCONFIG_FILE }`. */
  env(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** What fontconfig answers for a pattern (`monospace`, `sans-serif`) under this set-up: the family name. */
  match(pattern: string): string;
  /** Every family fontconfig lists under this set-up. */
  families(): string[];
  /** Removes the folder, the config and the cache. */
  close(): void;
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Whether fontconfig's command-line tools are here (they come with fontconfig on Linux). */
export function hasFontconfig(): boolean {
  try {
    execFileSync('fc-list', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The machine's font files of one exact family (`DejaVu Serif`), regular and bold upright only. */
export function systemFontFiles(family: string): string[] {
  const out = execFileSync('fc-list', ['-f', '%{family}\t%{style}\t%{file}\n', `${family}:slant=0`], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([families, style, file]) => file && families!.split(',')[0] === family && /^(Book|Regular|Bold)$/.test(style!.split(',')[0]!))
    .map(([, , file]) => file!)
    .sort();
}

/**
 * A set-up offering exactly `families` (each must exist on this machine: a missing one is a FontSetupError, so a
 * test cannot silently compare a set-up with itself).
 */
export function createFontSetup(label: string, families: string[]): FontSetup {
  const files = families.flatMap((family) => {
    const found = systemFontFiles(family);
    if (!found.length) throw new FontSetupError(`no font files of the family "${family}" on this machine (fc-list)`);
    return found;
  });
  const dir = mkdtempSync(join(tmpdir(), 'liqx-fontconfig-'));
  const fontDir = join(dir, 'fonts');
  const cacheDir = join(dir, 'cache');
  mkdirSync(fontDir);
  mkdirSync(cacheDir);
  const fonts = files.map((f) => {
    const copy = join(fontDir, basename(f));
    copyFileSync(f, copy);
    return copy;
  });
  const file = join(dir, 'fonts.conf');
  // The system's conf.d first (the generic aliases: without them `monospace` matches nothing useful), then
  // <reset-dirs/> drops every font folder it named (the system's and ~/.fonts), leaving only ours.
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/conf.d</include>
  <reset-dirs />
  <dir>${escapeXml(fontDir)}</dir>
  <cachedir>${escapeXml(cacheDir)}</cachedir>
</fontconfig>
`,
  );
  const env = (base: NodeJS.ProcessEnv = process.env) => ({ ...base, FONTCONFIG_FILE: file });
  return {
    label,
    file,
    fonts,
    env,
    match: (pattern) => execFileSync('fc-match', ['-f', '%{family[0]}', pattern], { encoding: 'utf8', env: env() }).trim(),
    families: () =>
      [...new Set(execFileSync('fc-list', ['-f', '%{family[0]}\n'], { encoding: 'utf8', env: env() }).split('\n').filter(Boolean))].sort(),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
