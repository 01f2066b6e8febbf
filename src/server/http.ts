/**
 * Request-side guards shared by the handlers: the JSON content-type rule and a body reader that never holds more
 * than the cap in memory.
 */
import { errorResponse } from './errors.js';

/** `application/json` or any `+json` type (`application/cloudevents+json`), parameters ignored. */
export function isJsonContentType(value: string | null): boolean {
  if (!value) return false;
  const type = value.split(';', 1)[0]!.trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

/** An http(s) URL as a Request serializes it, with a path the URL parser would leave as it is (no escapes, no dots). */
const PLAIN_URL = /^https?:\/\/[^/?#\\]*(\/[\w~/-]*)(?:[?#]|$)/;

/**
 * `new URL(url).pathname` of a URL a Request holds (parsed and serialized when the Request was made), without
 * building a URL for the usual request path: a plain path is the text between the authority and the query.
 * Anything else is parsed.
 */
export function pathnameOf(url: string): string {
  return PLAIN_URL.exec(url)?.[1] ?? new URL(url).pathname;
}

/** The 415 for a request whose body is not declared JSON. */
export const unsupportedMediaType = () =>
  errorResponse('UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON (Content-Type: application/json).');

/** Thrown by {@link readCappedBody}; the handlers turn it into a 413. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
  constructor(readonly limit: number) {
    super(`Body exceeds ${limit} bytes`);
  }
}

/**
 * The 413. The rest of the upload is left unread; the server adapter closes the connection after a short linger
 * (@hono/node-server: at most 500 ms), which gives the client time to read this answer before the close.
 */
export const payloadTooLarge = (limit: number) => errorResponse('PAYLOAD_TOO_LARGE', `The body is larger than ${limit} bytes.`);

/**
 * True when the declared Content-Length is over the cap: answer 413 without reading anything.
 */
export function declaredTooLarge(request: Pick<Request, 'headers'>, limit: number): boolean {
  const declared = request.headers.get('content-length');
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit;
}

/**
 * Reads the whole body as bytes, counting while it streams: past `limit` bytes it cancels the stream (no further
 * chunk is read) and throws {@link BodyTooLargeError}. A declared Content-Length over the cap throws before any
 * read. At most `limit` bytes plus one chunk are ever held. Takes a Request or a Response (LIQX's answers).
 */
export async function readCappedBody(request: Pick<Request, 'headers' | 'body'>, limit: number): Promise<Uint8Array> {
  if (declaredTooLarge(request, limit)) throw new BodyTooLargeError(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Stop pulling, but leave closing the connection to the server adapter: it can linger long enough for the
      // client to read the 413 (a socket destroyed with unread data sends a reset that can swallow it).
      reader.releaseLock();
      throw new BodyTooLargeError(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Decodes UTF-8, strict first; a body the sender signed with an invalid byte is read with U+FFFD in its place. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}
