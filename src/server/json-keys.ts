/**
 * One reading of a JSON body with a key given twice. JavaScript's JSON.parse keeps the last value, and so do the
 * receipt's columns (they come from the parsed payload); SQLite's json_extract on the stored text would read the
 * first. So a payload with a duplicate key is stored as the JSON it was read as (last wins, each key once), and a
 * payload without one is stored byte for byte as verified.
 */

/** Keys an object may hold before its duplicate check moves from a scan of its own keys to a Set. */
const SCAN_KEYS = 16;

/** True when some object in the (strict) JSON text names a key twice. One pass, no values built. */
export function hasDuplicateKeys(text: string): boolean {
  // Per open container: an array (-1), an object whose keys are `keys` from this index on (a payload object holds a
  // handful, and a scan of them beats a Set per object), or, past SCAN_KEYS keys, the object's own Set (no
  // quadratic scan of a body with thousands of keys).
  const keys: string[] = [];
  const open: (number | Set<string>)[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      if (expectKey) {
        // Escapes spell one key several ways ("a" and "\u0061"): compare what they mean.
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        const own = open[open.length - 1]!;
        if (typeof own === 'number') {
          for (let k = own; k < keys.length; k++) if (keys[k] === key) return true;
          keys.push(key);
          if (keys.length - own > SCAN_KEYS) {
            open[open.length - 1] = new Set(keys.splice(own));
          }
        } else {
          if (own.has(key)) return true;
          own.add(key);
        }
      }
      expectKey = false;
      i = j;
    } else if (c === 0x7b /* { */) {
      open.push(keys.length);
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      open.push(-1);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      const own = open.pop();
      if (typeof own === 'number' && own >= 0) keys.length = own;
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const own = open[open.length - 1];
      expectKey = own !== undefined && own !== -1;
    }
  }
  return false;
}

/** The payload text to store: as given, or, when a key is duplicated, the JSON it reads as (last wins). */
export function oneReading(text: string): string {
  return hasDuplicateKeys(text) ? JSON.stringify(JSON.parse(text)) : text;
}
