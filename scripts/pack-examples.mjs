// `npm run pack:examples` (`-- --head`: the last commit): packs the package as a fresh clone would (a copy of the tracked and new files, so
// `prepack` builds dist/ itself) and unpacks the tarball to .pack/liqx-payout-widget/, which every example under
// examples/ installs as a copy (`file:../../.pack/liqx-payout-widget` with install-links=true in its .npmrc).
// A directory dependency has no integrity in a lock file, so each example's package-lock.json stays valid
// when the package's bytes change; the tarball itself is kept as .pack/liqx-payout-widget.tgz.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const PACK_DIR = join(ROOT, '.pack');

/** Packs into .pack/ and returns the tarball's file list. `fromHead`: the last commit instead of the working tree. */
export function packForExamples({ quiet = false, fromHead = false } = {}) {
  const clone = mkdtempSync(join(tmpdir(), 'liqx-pack-'));
  try {
    if (fromHead) {
      execFileSync('sh', ['-c', `git archive HEAD | tar x -C "${clone}"`], { cwd: ROOT });
    } else {
      const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
        .split('\0')
        .filter((f) => f && !f.startsWith('examples/'));
      for (const f of files) {
        try {
          cpSync(join(ROOT, f), join(clone, f), { recursive: false });
        } catch (error) {
          // A tracked file deleted in the working tree is not part of it.
          if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'ENOENT') throw error;
        }
      }
    }
    // The build's tools; nothing of node_modules is packed (`files` in package.json).
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    mkdirSync(PACK_DIR, { recursive: true });
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', PACK_DIR], { cwd: clone, encoding: 'utf8', stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'] });
    // prepack's build prints to stdout too: npm's JSON report is the last top-level array.
    const [info] = JSON.parse(out.slice(out.lastIndexOf('\n[\n') + 1));
    const tgz = join(PACK_DIR, 'liqx-payout-widget.tgz');
    renameSync(join(PACK_DIR, info.filename), tgz);
    const unpacked = join(PACK_DIR, 'liqx-payout-widget');
    rmSync(unpacked, { recursive: true, force: true });
    mkdirSync(unpacked);
    execFileSync('tar', ['xzf', tgz, '-C', unpacked, '--strip-components=1']);
    return /** @type {string[]} */ (info.files.map((/** @type {{ path: string }} */ f) => f.path));
  } finally {
    rmSync(clone, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = packForExamples({ fromHead: process.argv.includes('--head') });
  console.log(`Packed ${files.length} files to .pack/liqx-payout-widget.tgz and .pack/liqx-payout-widget/`);
}
