// Finds PostgreSQL's server binaries (initdb, pg_ctl, postgres) for the tests and the bench, which start their
// own server. On Debian/Ubuntu as root it installs Debian's `postgresql` package when they are missing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { delimiter, join } from 'node:path';

const hasServer = (dir) => !!dir && ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b)));

/** The directory holding initdb and pg_ctl: $PG_BIN, the newest /usr/lib/postgresql/<v>/bin, or PATH; else null. */
export function findPostgresBin() {
  if (hasServer(process.env.PG_BIN)) return process.env.PG_BIN;
  try {
    const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (hasServer(`/usr/lib/postgresql/${v}/bin`)) return `/usr/lib/postgresql/${v}/bin`;
  } catch {
    // no Debian layout
  }
  return (process.env.PATH ?? '').split(delimiter).find(hasServer) ?? null;
}

function isDebianLike() {
  try {
    return /^(ID|ID_LIKE)=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));
  } catch {
    return false;
  }
}

/** Finds PostgreSQL or, as root on Debian/Ubuntu, installs it (one line says so). Exits with one clear line otherwise. */
export function ensurePostgres() {
  const found = findPostgresBin();
  if (found) return found;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !isDebianLike()) {
    console.error('No PostgreSQL server binaries found (set PG_BIN, or install postgresql); the store tests cannot run.');
    process.exit(1);
  }
  console.log("No PostgreSQL found: installing Debian's postgresql package (apt-get install -y postgresql)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql'], { stdio: 'ignore', env });
  const installed = findPostgresBin();
  if (!installed) {
    console.error('apt-get finished but no PostgreSQL server binaries were found.');
    process.exit(1);
  }
  return installed;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(ensurePostgres());
