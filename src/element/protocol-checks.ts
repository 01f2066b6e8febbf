/**
 * The half of the protocol the element needs only once a session arrives: every zod/mini schema it parses with
 * (the session, the frame's hello and events). session-controller.ts loads this module with a dynamic `import()`
 * on the first session, so defining the element evaluates none of zod: in the script-tag file the bundler keeps it
 * inline and runs it on that first call (a few microtasks); in the ES build it is a chunk of its own. The schemas
 * are the same ones, equally strict; nothing is parsed without them.
 */
export { HelloRequest, issuePaths, parseFrameEvent } from '../protocol/schemas.js';
export { frameSrc, isExpired, resolveAttributeSession, resolveSession } from '../protocol/session.js';
