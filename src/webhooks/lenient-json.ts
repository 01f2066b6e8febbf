/**
 * A tolerant JSON reader for webhook bodies. Strict `JSON.parse` is tried first; only when that fails is the text
 * read again with the two liberties the providers' own documents take in their examples: `/* comments *\/` (and
 * `// line comments`) and trailing commas before `}` or `]`. It exists for the documents' samples and for sloppy
 * senders, not as a JSON5 parser: single quotes, unquoted keys, NaN and the like are still refused.
 */
import { WebhookPayloadError, WebhookPayloadErrorCode } from './errors.js';
import { assertPayloadDepth } from './depth.js';

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * Removes comments and trailing commas outside string literals. Returns null on an unterminated comment or
 * string (the caller reports INVALID_JSON); everything else is left for `JSON.parse` to judge.
 */
function stripDocumentLiberties(text: string): string | null {
  let out = '';
  // Last non-whitespace character written to `out` (tracked rather than searched: bodies may be large).
  let last = '';
  let i = 0;
  const n = text.length;
  // Index just past the comment or whitespace run starting at j (or j itself when there is none); -1 if unterminated.
  const skipTrivia = (j: number): number => {
    for (;;) {
      if (isSpace(text[j])) j++;
      else if (text[j] === '/' && text[j + 1] === '*') {
        const end = text.indexOf('*/', j + 2);
        if (end < 0) return -1;
        j = end + 2;
      } else if (text[j] === '/' && text[j + 1] === '/') {
        const end = text.indexOf('\n', j + 2);
        j = end < 0 ? n : end + 1;
      } else return j;
    }
  };
  while (i < n) {
    const c = text[i]!;
    if (c === '"') {
      // Copy the string literal verbatim, honouring escapes, so `/*` or `,}` inside strings survive.
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= n) return null;
      out += text.slice(i, j + 1);
      last = '"';
      i = j + 1;
    } else if (c === '/' && (text[i + 1] === '*' || text[i + 1] === '/')) {
      const j = skipTrivia(i);
      if (j < 0) return null;
      out += ' ';
      i = j;
    } else if (c === ',') {
      const j = skipTrivia(i + 1);
      if (j < 0) return null;
      // A comma after a value, followed only by trivia and a closing bracket, is a trailing comma: drop it.
      // After `[`, `{` or another comma it is an elision, which JSON.parse must still refuse.
      const trailing = (text[j] === '}' || text[j] === ']') && last !== '[' && last !== '{' && last !== ',';
      if (!trailing) {
        out += ',';
        last = ',';
      }
      i += 1;
    } else {
      out += c;
      if (!isSpace(c)) last = c;
      i++;
    }
  }
  return out;
}

/** A body read once: its text as sent (BOM dropped), the JSON value, and whether the text was strict JSON. */
export interface ParsedBody {
  text: string;
  value: unknown;
  strict: boolean;
}

const refuseJson = (provider: string | undefined, message: string): never => {
  throw new WebhookPayloadError(WebhookPayloadErrorCode.INVALID_JSON, provider, [{ path: [], message, code: 'invalid_json' }]);
};

/**
 * Reads JSON text once: strict `JSON.parse` first, then the tolerant reading. A leading BOM is dropped (JSON.parse
 * refuses it, and it is no part of the JSON value).
 *
 * @throws {WebhookPayloadError} `INVALID_JSON`; `INVALID_PAYLOAD` for JSON nested deeper than `MAX_PAYLOAD_DEPTH`
 */
export function parseBodyText(text: string, provider?: string): ParsedBody {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  let strict = true;
  try {
    value = JSON.parse(text);
  } catch {
    strict = false;
    const stripped = stripDocumentLiberties(text);
    try {
      if (stripped === null) throw new SyntaxError('unterminated');
      value = JSON.parse(stripped);
    } catch {
      refuseJson(provider, 'Body is not JSON (comments and trailing commas are tolerated, nothing else)');
    }
  }
  assertPayloadDepth(value, provider);
  return { text, value, strict };
}

/**
 * Decodes UTF-8 bytes. `fatal` refuses invalid UTF-8 (`INVALID_JSON`); otherwise a sender that signed an invalid
 * byte gets U+FFFD in its place, so a verified body is not refused for it.
 */
export function decodeBody(body: string | Uint8Array, provider: string | undefined, fatal: boolean): string {
  if (typeof body === 'string') return body;
  try {
    return strictUtf8.decode(body);
  } catch {
    if (fatal) refuseJson(provider, 'Body is not valid UTF-8');
    return lenientUtf8.decode(body);
  }
}
// Built once: a decoder per call cost more than decoding a webhook's body. A whole-buffer decode keeps no state.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/**
 * Parses JSON text, tolerating the comments and trailing commas of the providers' documented examples.
 *
 * @throws {WebhookPayloadError} code `INVALID_JSON` when the text is not JSON even after that.
 */
export function parseLenientJson(text: string, provider?: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // fall through to the tolerant reading
  }
  const stripped = stripDocumentLiberties(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (stripped !== null) {
    try {
      return JSON.parse(stripped);
    } catch {
      // reported below
    }
  }
  return refuseJson(provider, 'Body is not JSON (comments and trailing commas are tolerated, nothing else)');
}

/**
 * Decodes a raw webhook body (UTF-8 bytes or a string) and parses it with {@link parseLenientJson}.
 * Verify the signature over these same raw bytes first; parse after.
 *
 * @throws {WebhookPayloadError} code `INVALID_JSON` for invalid UTF-8 or text that is not JSON; `INVALID_PAYLOAD`
 *   for JSON nested deeper than `MAX_PAYLOAD_DEPTH`.
 */
export function parseWebhookBody(body: string | Uint8Array, provider?: string): unknown {
  return parseBodyText(decodeBody(body, provider, true), provider).value;
}
