/**
 * WAL checkpoints of the SQLite store, off the writer's thread. By default SQLite copies the log back into the
 * database file inside whichever commit brings the log past 1000 pages, and with synchronous=NORMAL or FULL that
 * checkpoint syncs the log and then the file: the commit that runs it holds the event loop for the two fsyncs (tens
 * of milliseconds on a busy disk), and every delivery waits behind it. Here the writer never checkpoints on its own
 * (`wal_autocheckpoint = 0`); a worker thread with a connection of its own, at the writer's `synchronous` (the same
 * guarantees for the copied pages), runs a PASSIVE checkpoint, which never waits for and never blocks the writer or
 * a reader, after every {@link COMMITS_PER_CHECKPOINT} commits.
 *
 * The log restarts from its beginning only when a write transaction begins with every frame of it copied and no
 * reader on an older snapshot. A writer that keeps committing while the worker copies always leaves a few frames
 * behind, so under a steady load the log would only grow. Once it is past {@link RESTART_FRAMES}, the next
 * checkpoint is a catch-up: commits are held back (not the thread: requests are still read and verified, and the
 * held receipts commit together afterwards) while the worker copies the few frames left, after which the first
 * commit restarts the log. A reader on the log can stop that restart (as it stops SQLite's own); the hold then ends
 * anyway, and the next catch-up waits until the log has grown by {@link RESTART_FRAMES} again: nothing waits in a
 * loop, and readers never make every commit wait.
 *
 * If the worker cannot start or ends, the writer checkpoints on its own again, as SQLite does by default.
 *
 * The worker is started as the reader's is (./sqlite-worker.ts).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerSource } from './sqlite-worker.js';

// Checkpoints wait on the disk more than they compute: their thread yields the CPU to the writer.
const WORKER_SOURCE = workerSource(
  `const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);`,
  `  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ done: true, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ done: true, error: String((e && e.message) || e) });
  }`,
);

/** Commits between two checkpoints: about SQLite's own 1000 pages at the ingest's usual group commit. */
export const COMMITS_PER_CHECKPOINT = 32;
/** Log size, in frames (pages), past which the next checkpoint holds commits back until the log can restart. */
export const RESTART_FRAMES = 4000;
/** The longest commits are held back for a catch-up, whatever the worker does. */
const MAX_HOLD_MS = 1000;
const CHECKPOINT_NICENESS = 5;

export interface SqliteCheckpointer {
  /** Call after each commit of the writer's connection. */
  afterCommit(): void;
  /** While a catch-up checkpoint runs: the promise after which the next commit may start; otherwise undefined. */
  hold(): Promise<void> | undefined;
  /** Ends the worker (a checkpoint under way finishes first) and releases any hold. */
  close(): Promise<void>;
}

/**
 * Takes the checkpoints of `db` over when it is a file in WAL mode that a second connection can open (the caller
 * checks the file: not `:memory:`, not a `file:` URI); otherwise undefined, and SQLite checkpoints as usual. The
 * worker starts now, with the store, so that its start (a thread, its isolate, the driver loaded: tens of
 * milliseconds of CPU) is paid before the first deliveries rather than among them.
 */
export async function sqliteCheckpointer(
  db: BetterSqlite3.Database,
  file: string,
  options: { synchronous: 'NORMAL' | 'FULL' },
): Promise<SqliteCheckpointer | undefined> {
  if (db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  const newWorker = await startWorker(WORKER_SOURCE, file, CHECKPOINT_NICENESS, { synchronous: options.synchronous });
  db.pragma('wal_autocheckpoint = 0');

  let worker: Worker | undefined;
  let stopped = false;
  let inFlight = false;
  let catchUp = false;
  let commits = 0;
  /** `commits` when the checkpoint in flight was sent. */
  let sentAt = 0;
  /** The log's size, in frames, at the last checkpoint, and the size at which the next catch-up runs. */
  let lastLog = 0;
  let catchUpAt = RESTART_FRAMES;
  let held: { promise: Promise<void>; release: () => void } | undefined;

  const release = () => {
    const h = held;
    held = undefined;
    h?.release();
  };
  const holdCommits = () => {
    let resolveHold!: () => void;
    const promise = new Promise<void>((r) => (resolveHold = r));
    const timer = setTimeout(() => held?.promise === promise && release(), MAX_HOLD_MS);
    held = {
      promise,
      release: () => {
        clearTimeout(timer);
        resolveHold();
      },
    };
  };
  // The writer checkpoints on its own again, as SQLite does by default.
  const fallBack = () => {
    stopped = true;
    worker = undefined;
    inFlight = false;
    release();
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  const send = (w: Worker, asCatchUp: boolean) => {
    inFlight = true;
    catchUp = asCatchUp;
    sentAt = commits;
    w.ref(); // a checkpoint under way keeps the process alive; an idle worker does not
    w.postMessage({ checkpoint: true });
  };
  const start = (): Worker | undefined => {
    let w: Worker;
    try {
      w = newWorker();
    } catch {
      fallBack();
      return undefined;
    }
    w.unref();
    w.on('message', (m: { done?: boolean; log?: number; checkpointed?: number; error?: string }) => {
      if (!m.done || worker !== w) return;
      inFlight = false;
      w.unref();
      const log = m.log ?? lastLog;
      if (catchUp) {
        // Every frame is copied (or a reader kept some): the next commit restarts the log if no reader is on it.
        // If it does not, the next catch-up waits until the log has grown by as much again, so that readers that
        // keep it from restarting (as they would SQLite's own checkpoints) do not make every checkpoint hold commits.
        catchUp = false;
        catchUpAt = log + RESTART_FRAMES;
        release();
      } else if (!m.error) {
        if (log < lastLog) catchUpAt = RESTART_FRAMES; // the log restarted
        // Commits landed while it copied, so the log cannot restart: past the size, hold them and copy the rest.
        if (log >= catchUpAt && commits > sentAt) {
          holdCommits();
          send(w, true);
        }
      }
      lastLog = log;
    });
    w.once('error', () => worker === w && fallBack());
    w.once('exit', () => worker === w && fallBack());
    return w;
  };

  worker = start();

  return {
    afterCommit() {
      commits++;
      if (stopped || inFlight || !worker || commits - sentAt < COMMITS_PER_CHECKPOINT) return;
      send(worker, false);
    },
    hold() {
      return held?.promise;
    },
    async close() {
      const w = worker;
      stopped = true;
      worker = undefined;
      release();
      if (!w) return;
      // A checkpoint under way finishes first (the worker answers in order); then its connection closes.
      await new Promise<void>((done) => {
        w.on('message', (m: { closed?: boolean }) => m.closed && done());
        w.once('exit', () => done());
        w.ref();
        w.postMessage({ close: true });
      });
      await w.terminate();
    },
  };
}
