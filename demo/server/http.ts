/**
 * Starts a Hono app on a loopback port (0 = any free port) and gives back its origin and a close()
 * that also drops idle keep-alive sockets, so tests can stop and restart servers promptly.
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function listen(app: Hono<any>, port: number, hostname = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
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
