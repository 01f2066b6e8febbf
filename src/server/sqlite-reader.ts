/**
 * The SQLite store's reads, off the writer's thread. better-sqlite3 is synchronous: a read run on the thread that
 * serves webhooks holds the event loop for as long as it takes, and every delivery waits behind it. Here the read
 * runs on a worker thread with its own read-only connection to the same file: in WAL mode a reader never waits for
 * the writer and the writer never waits for a reader, and a commit that resolved before a read was sent is in the
 * read's snapshot (the worker opens a new read transaction per request).
 *
 * The worker's code and start are ./sqlite-worker.ts's, shared with the checkpointer's.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerSource } from './sqlite-worker.js';

/** One read: the page statement and, when the walk is bounded, the probe run only if the page came back short. */
export interface ReadRequest {
  sql: string;
  params: Record<string, unknown>;
  /** Rows the page asks for beyond which the probe is not needed (`limit`: the page statement asks `limit + 1`). */
  limit: number;
  probe?: { sql: string; params: Record<string, unknown> };
}
export interface ReadResult<Row, Stop> {
  rows: Row[];
  stop: Stop | undefined;
}

// Reads yield the CPU to the writer: on a machine short of cores a burst of reads slows reads, not webhooks.
const WORKER_SOURCE = workerSource(
  `const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
const statements = new Map();
const prepared = (sql) => {
  let stmt = statements.get(sql);
  if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
  return stmt;
};
// The page and its probe in one read transaction: both see the same snapshot, so a commit between them cannot
// move the cursor the probe gives.
const read = db.transaction((m) => {
  const rows = prepared(m.sql).all(m.params);
  const stop = m.probe && rows.length <= m.limit ? prepared(m.probe.sql).get(m.probe.params) : undefined;
  return { rows, stop };
});`,
  `  try {
    parentPort.postMessage({ id: m.id, ...read(m) });
  } catch (e) {
    parentPort.postMessage({ id: m.id, error: { message: String((e && e.message) || e), code: e && e.code, sqlite: e instanceof Database.SqliteError } });
  }`,
);

/** How much lower than the process the reader thread's scheduling priority is (Linux nice steps). */
const READ_NICENESS = 10;

export interface SqliteReader {
  read<Row, Stop>(request: ReadRequest): Promise<ReadResult<Row, Stop>>;
  close(): Promise<void>;
}

/** Whether `file` names a database another connection can open: not `:memory:`, not a private temporary one. */
export const shareable = (file: string) => file !== '' && file !== ':memory:' && !file.startsWith('file:');

/**
 * A reader for `file`, whose worker starts on the first read. `Database` is the driver the store loaded: its
 * `SqliteError` class is what a failed read rejects with, as it would have on the store's own connection.
 */
export async function sqliteReader(file: string, Database: typeof BetterSqlite3, busyTimeoutMs: number): Promise<SqliteReader> {
  const newWorker = await startWorker(WORKER_SOURCE, file, READ_NICENESS, { busyTimeoutMs });
  let worker: Worker | undefined;
  let nextId = 0;
  let closed = false;
  const pending = new Map<number, { resolve: (r: ReadResult<unknown, unknown>) => void; reject: (e: unknown) => void }>();

  const fail = (error: unknown) => {
    worker = undefined;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const start = () => {
    const w = newWorker();
    // An idle reader does not keep the process alive; one with reads in flight does (see `read`).
    w.unref();
    w.on('message', (m: { id: number; rows?: unknown[]; stop?: unknown; error?: { message: string; code?: string; sqlite: boolean } }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      // While close() waits for the worker to end, the worker must keep the process alive.
      if (!pending.size && !closed) w.unref();
      if (!m.error) return p.resolve({ rows: m.rows!, stop: m.stop });
      p.reject(m.error.sqlite ? new Database.SqliteError(m.error.message, m.error.code ?? 'SQLITE_ERROR') : new Error(m.error.message));
    });
    w.once('error', (error) => {
      if (worker === w) fail(error);
    });
    w.once('exit', (code) => {
      if (worker === w) fail(new Error(`The SQLite reader thread exited (${code}).`));
    });
    return w;
  };

  return {
    read<Row, Stop>(request: ReadRequest) {
      // The same error the store's own closed connection gives.
      if (closed) return Promise.reject(new TypeError('The database connection is not open'));
      const w = (worker ??= start());
      const id = nextId++;
      return new Promise<ReadResult<Row, Stop>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (r: ReadResult<unknown, unknown>) => void, reject });
        w.ref();
        w.postMessage({ id, ...request });
      });
    },
    async close() {
      closed = true;
      const w = worker;
      if (!w) return;
      // Reads already sent finish first (the worker answers in order); then its connection closes and it ends.
      await new Promise<void>((done) => {
        const finish = () => done();
        w.on('message', (m: { closed?: boolean }) => m.closed && finish());
        w.once('exit', finish);
        w.ref();
        w.postMessage({ close: true });
      });
      worker = undefined;
      await w.terminate();
    },
  };
}
