/**
 * One reading of a JSON body with a key given twice. JavaScript's JSON.parse keeps the last value, and so do the
 * receipt's columns (they come from the parsed payload); SQLite's json_extract on the stored text would read the
 * first. So a payload with a duplicate key is stored as the JSON it was read as (last wins, each key once), and a
 * payload without one is stored byte for byte as verified.
 */

/** True when some object in the (strict) JSON text names a key twice. One pass, no values built. */
export function hasDuplicateKeys(text: string): boolean {
  // One entry per open container: the keys seen so far in an object, null in an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
        } else if (d === 0x22) break;
        else j++;
      }
      const keys = stack[stack.length - 1];
      if (expectKey && keys) {
        // Escapes spell one key several ways ("a" and "\u0061"): compare what they mean.
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        if (keys.has(key)) return true;
        keys.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] != null;
    }
  }
  return false;
}

/** The payload text to store: as given, or, when a key is duplicated, the JSON it reads as (last wins). */
export function oneReading(text: string): string {
  return hasDuplicateKeys(text) ? JSON.stringify(JSON.parse(text)) : text;
}
