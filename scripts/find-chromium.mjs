// Finds a Chromium for the browser tests and the end-to-end run. On a fresh Debian/Ubuntu machine running
// as root it installs Debian's `chromium` package (nothing here downloads a browser of its own).
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const CANDIDATES = [
  process.env.CHROME_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
].filter(Boolean);

/** The first Chromium found, or null. */
export function findChromium() {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

function isDebianLike() {
  try {
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/** Finds Chromium or, as root on Debian/Ubuntu, installs it. Exits with one clear line otherwise. */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !isDebianLike()) {
    console.error('No Chromium found (set CHROME_PATH, or install chromium / google-chrome); browser tests cannot run.');
    process.exit(1);
  }
  console.log('No Chromium found: installing Debian\'s chromium package (apt-get update && apt-get install -y chromium)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  const installed = findChromium();
  if (!installed) {
    console.error('apt-get finished but no Chromium binary was found.');
    process.exit(1);
  }
  return installed;
}

/** Flags for headless Chromium here: root needs --no-sandbox; the rest keeps it off the (closed) network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureChromium());
