/**
 * Starts a Hono app on a loopback port (0 = any free port) and gives back its origin and a close()
 * that also drops idle keep-alive sockets, so tests can stop and restart servers promptly. It answers only
 * requests whose Host is one of its own names (DNS rebinding).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono, MiddlewareHandler } from 'hono';

export interface Listening {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The loopback names a local server answers to, besides the address it listens on. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::', '[::]']);

/**
 * Refuses a request whose Host header names none of the server's own names (421 HOST_NOT_ALLOWED): a page on
 * another site that rebinds its DNS name to 127.0.0.1 reaches this server under that name, and must not read it.
 */
function hostGuard(app: { fetch: (request: Request, env?: unknown) => Response | Promise<Response> }, allowed: Set<string>) {
  return (request: Request, env?: unknown) => {
    const host = request.headers.get('host')?.toLowerCase();
    if (host && allowed.has(host)) return app.fetch(request, env);
    return Response.json(
      { error: { code: 'HOST_NOT_ALLOWED', message: `This server answers to ${[...allowed].join(', ')} only (add a name with ALLOWED_HOSTS).` } },
      { status: 421, headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } },
    );
  };
}

export interface ListenOptions {
  /** More Host header values to answer (`host` or `host:port`), besides the loopback names on this port. */
  allowedHosts?: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function listen(app: Hono<any>, port: number, hostname = '127.0.0.1', options: ListenOptions = {}): Promise<Listening> {
  // Filled in once the port is known (port 0 picks one); no request is served before that.
  const allowed = new Set<string>();
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: hostGuard(app, allowed), port, hostname }, (info: AddressInfo) => {
      const names = WILDCARD_ADDRESSES.has(hostname) ? LOOPBACK_NAMES : [...new Set([hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname, ...LOOPBACK_NAMES])];
      for (const name of names) allowed.add(`${name}:${info.port}`.toLowerCase());
      for (const extra of options.allowedHosts ?? []) allowed.add(extra.toLowerCase());
      resolve({
        url: `http://${hostname}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as Server).closeAllConnections?.();
          }),
      });
    }) as Server;
    server.once('error', reject);
  });
}

/**
 * Serves demo/dist/assets/*. Created on first request: serveStatic warns at creation when the root is
 * missing, and the pages may be built after the servers start (tests that never load a page).
 */
export function builtAssets(distDir: string): MiddlewareHandler {
  let handler: MiddlewareHandler | undefined;
  return (c, next) => (handler ??= serveStatic({ root: distDir }))(c, next);
}
