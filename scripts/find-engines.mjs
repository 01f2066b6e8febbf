// Finds the three browser engines the browser suite runs on, or (as root on Debian/Ubuntu) installs them from
// Debian's packages, saying so in one line. Nothing here downloads a browser of its own:
// - chromium: Debian's `chromium` (scripts/find-chromium.mjs);
// - firefox:  Debian's `firefox-esr`, driven by puppeteer-core over WebDriver BiDi;
// - webkit:   WebKitGTK's MiniBrowser through `WebKitWebDriver` (`webkit2gtk-driver`), under `Xvfb` (`xvfb`).
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { ensureChromium, findChromium } from './find-chromium.mjs';

export const ENGINES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);

const FIREFOX = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'].filter(Boolean);
const WEBKIT_DRIVER = [process.env.WEBKIT_WEBDRIVER_PATH, '/usr/bin/WebKitWebDriver', '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/WebKitWebDriver'].filter(Boolean);
const XVFB = ['/usr/bin/Xvfb'];

const first = (/** @type {(string | undefined)[]} */ list) => /** @type {string | null} */ (list.find((p) => p && existsSync(p)) ?? null);

export const findFirefox = () => first(FIREFOX);
/** WebKitWebDriver and Xvfb, or null when either is missing. */
export function findWebKit() {
  const driver = first(WEBKIT_DRIVER);
  const xvfb = first(XVFB);
  return driver && xvfb ? { driver, xvfb } : null;
}

/** @param {string} engine */
export function findEngine(engine) {
  if (engine === 'chromium') return findChromium();
  if (engine === 'firefox') return findFirefox();
  if (engine === 'webkit') return findWebKit()?.driver ?? null;
  throw new Error(`unknown engine ${engine} (one of ${ENGINES.join(', ')})`);
}

function isDebianLike() {
  try {
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

const PACKAGES = { firefox: ['firefox-esr'], webkit: ['webkit2gtk-driver', 'xvfb'] };
let aptUpdated = false;

/**
 * Finds `engine` or, as root on Debian/Ubuntu, installs its Debian packages (one line says so). Returns the
 * executable (WebKitWebDriver for webkit), or null with one line on stderr when it cannot.
 * @param {string} engine
 */
export function ensureEngine(engine) {
  if (engine === 'chromium') return ensureChromium();
  const found = findEngine(engine);
  if (found) return found;
  const pkgs = PACKAGES[/** @type {'firefox' | 'webkit'} */ (engine)];
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !isDebianLike()) {
    console.error(`No ${engine} found (install ${pkgs.join(' + ')}); the ${engine} browser tests cannot run.`);
    return null;
  }
  console.log(`No ${engine} found: installing Debian's ${pkgs.join(' and ')} (apt-get install -y ${pkgs.join(' ')})...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const quiet = { stdio: /** @type {const} */ (['ignore', 'ignore', 'inherit']), env };
  if (!aptUpdated) execFileSync('apt-get', ['update', '-qq'], quiet);
  aptUpdated = true;
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], quiet);
  const installed = findEngine(engine);
  if (!installed) console.error(`apt-get finished but no ${engine} was found.`);
  return installed;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const engine of process.argv.slice(2).length ? process.argv.slice(2) : ENGINES) console.log(engine, ensureEngine(engine));
}
