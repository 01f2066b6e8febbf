/**
 * What the SQLite store's worker threads share (reads: ./sqlite-reader.ts, checkpoints: ./sqlite-checkpointer.ts):
 * the worker's code as a string, evaluated by `new Worker(..., { eval: true })` rather than a file beside this one, so
 * the same code runs from the TypeScript sources, the bundled `dist/` and an installed tarball with no path for a
 * bundler to rewrite; the `better-sqlite3` the store loaded; and a thread priority below the writer's.
 */
import type { Worker } from 'node:worker_threads';

/**
 * The worker's code: `open` defines `db` (a connection of its own to `workerData.file`, opened with the driver the
 * store loaded), `handle` answers one message `m`. A `{ close: true }` message closes the connection and answers
 * `{ closed: true }`. The thread yields the CPU to the writer: on Linux it runs `workerData.niceness` below the
 * process's other threads (its id from /proc/thread-self); elsewhere the call fails and it runs at the process's
 * priority.
 */
export const workerSource = (open: string, handle: string): string => `
const { parentPort, workerData } = require('node:worker_threads');
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) require('node:os').setPriority(tid, Math.min(19, require('node:os').getPriority(tid) + workerData.niceness));
} catch {}
const Database = require(workerData.driver);
${open}
parentPort.on('message', (m) => {
  if (m.close) {
    db.close();
    parentPort.postMessage({ closed: true });
    return;
  }
${handle}
});
`;

/** Starts a worker running `source` on the database file `file`, with the store's driver and `data` besides. */
export async function startWorker(source: string, file: string, niceness: number, data: Record<string, unknown>): Promise<() => Worker> {
  const [{ Worker }, { createRequire }, { resolve }] = await Promise.all([import('node:worker_threads'), import('node:module'), import('node:path')]);
  const workerData = { ...data, file: resolve(file), driver: createRequire(import.meta.url).resolve('better-sqlite3'), niceness };
  return () => new Worker(source, { eval: true, workerData });
}
