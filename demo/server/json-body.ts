/**
 * Request-body and error helpers shared by both demo servers (each server's own wire format stays in
 * its module): JSON parsing that reports bad JSON like any other contract violation, and the 400 shape
 * `{ error: { code: 'INVALID_REQUEST', message, issues: [{ path, message }] } }`.
 */
import type { Context } from 'hono';
import type * as z from 'zod';
import { zodIssues } from '../contract/liqx.js';
import { BodyTooLargeError, decodeUtf8, readCappedBody } from '../../src/server/http.js';

/** Body cap of the mock LIQX's JSON requests: 16 KiB (an intent request or a decline is well under 1 KiB). */
export const MAX_LIQX_BODY_BYTES = 16 * 1024;

export type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

export function invalidRequest(c: Context, issues: { path: string; message: string }[], message = 'The request does not match the contract.') {
  return c.json({ error: { code: 'INVALID_REQUEST', message, issues } }, 400);
}

/** Parses the JSON body (read up to `maxBytes`, 413 past it) with a schema; on failure the response to return. */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S, maxBytes = MAX_LIQX_BODY_BYTES): Promise<Parsed<z.infer<S>>> {
  let text: string;
  try {
    text = decodeUtf8(await readCappedBody(c.req.raw, maxBytes));
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    return { ok: false, response: c.json({ error: { code: 'PAYLOAD_TOO_LARGE', message: `The body is larger than ${maxBytes} bytes.` } }, 413) };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, response: invalidRequest(c, [{ path: '(root)', message: 'The body must be a JSON object.' }]) };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, response: invalidRequest(c, zodIssues(parsed.error)) };
  return { ok: true, data: parsed.data };
}

/** The bearer credential of a request, or null. */
export function bearer(c: Context): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
  return match ? match[1] : null;
}
