/**
 * Time conversions the providers need: Unix timestamps of unknown unit (Ipay) and zone-less wall-clock
 * timestamps (cash-out reference). Uses only `Date` and `Intl`, which Node and Web Crypto runtimes both have.
 */

/** Largest instant whose ISO form still has a four-digit year (9999-12-31T23:59:59.999Z). */
const MAX_MS = 253_402_300_799_999;

/**
 * Values below this are Unix **seconds**, values at or above it are **milliseconds**. 1e11 seconds is the year
 * 5138 and 1e11 milliseconds is 3 March 1973, so no real event time falls on the wrong side of it.
 */
export const UNIX_MS_THRESHOLD = 1e11;

/** An instant as ISO 8601 UTC, or null when it is outside 1970-01-01 .. 9999-12-31. */
export function isoFromMs(ms: number): string | null {
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_MS) return null;
  return new Date(ms).toISOString();
}

/** A Unix timestamp in seconds or milliseconds (told apart by {@link UNIX_MS_THRESHOLD}) as ISO 8601 UTC. */
export function isoFromUnix(value: number): string | null {
  return isoFromMs(value < UNIX_MS_THRESHOLD ? value * 1000 : value);
}

const OFFSET = /^([+-])(\d{2}):?(\d{2})$/;
const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * Checks a time zone option: `UTC`, `Z`, a fixed offset `+09:00` / `-0330`, or an IANA name (`Asia/Seoul`).
 *
 * @throws {RangeError} for anything else (a configuration error, not a payload error).
 */
export function assertTimeZone(zone: string): void {
  if (zone === 'UTC' || zone === 'Z') return;
  const m = OFFSET.exec(zone);
  if (m) {
    if (Number(m[2]) > 23 || Number(m[3]) > 59) throw new RangeError(`Invalid UTC offset: ${zone}`);
    return;
  }
  zoneFormat(zone);
}

function zoneFormat(zone: string): Intl.DateTimeFormat {
  let f = zoneFormats.get(zone);
  if (!f) {
    // Throws RangeError for an unknown zone name.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    zoneFormats.set(zone, f);
  }
  return f;
}

/** The zone's offset from UTC at the instant `utcMs`, in milliseconds (east positive). */
function offsetAt(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Z') return 0;
  const m = OFFSET.exec(zone);
  if (m) return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
  const parts: Record<string, number> = {};
  for (const p of zoneFormat(zone).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** True when `value` is a real calendar time written `YYYY-MM-DD HH:mm:ss`. */
export function isWallClock(value: string): boolean {
  return wallMs(value) !== null;
}

function wallMs(value: string): number | null {
  const m = WALL.exec(value);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  // Date.UTC rolls 2024-02-30 over into March; a round trip catches it. Years 0-99 are mapped to 19xx by Date.UTC.
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms;
}

/**
 * Reads a zone-less `YYYY-MM-DD HH:mm:ss` as wall-clock time in `zone` and returns ISO 8601 UTC, or null when it
 * is not a valid time. A wall time skipped by a DST change is read with the offset before the change.
 */
export function isoFromWallClock(value: string, zone: string): string | null {
  const wall = wallMs(value);
  if (wall === null) return null;
  // The offset depends on the instant we are solving for: guess with the offset at the wall time read as UTC,
  // then correct once with the offset at the guess (enough for any real zone's rules).
  let utc = wall - offsetAt(zone, wall);
  const second = offsetAt(zone, utc);
  if (second !== wall - utc) utc = wall - second;
  return isoFromMs(utc);
}
