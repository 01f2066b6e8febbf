/**
 * Runs one async read now and then every `intervalMs`, never two at once. `stop()` aborts the read in flight so
 * a stale answer cannot land after the page moved on; `pollNow()` reads at once (after a widget outcome the
 * receipt is usually a moment away) and restarts the interval from there.
 */
export interface PollerOptions {
  intervalMs: number;
  read: (signal: AbortSignal) => Promise<void>;
  /** Called when a read throws (other than by abort); polling goes on. */
  onError?: (error: unknown) => void;
}

export class ReceiptsPoller {
  readonly intervalMs: number;
  #read: PollerOptions['read'];
  #onError: PollerOptions['onError'];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | null = null;
  #running = false;
  #inFlight: Promise<void> | null = null;
  #again = false;

  constructor(options: PollerOptions) {
    this.intervalMs = options.intervalMs;
    this.#read = options.read;
    this.#onError = options.onError;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
  }

  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#controller?.abort();
    this.#controller = null;
  }

  /** Reads now; when a read is already in flight, one more follows it (its query may be outdated). */
  pollNow(): void {
    if (!this.#running) return;
    if (this.#inFlight) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    void this.#tick();
  }

  async #tick(): Promise<void> {
    clearTimeout(this.#timer);
    const controller = new AbortController();
    this.#controller = controller;
    const inFlight = (async () => {
      try {
        await this.#read(controller.signal);
      } catch (error) {
        if (!controller.signal.aborted) this.#onError?.(error);
      }
    })();
    this.#inFlight = inFlight;
    await inFlight;
    if (this.#inFlight === inFlight) this.#inFlight = null;
    if (!this.#running || controller.signal.aborted) return;
    if (this.#again) {
      this.#again = false;
      return this.#tick();
    }
    this.#timer = setTimeout(() => void this.#tick(), this.intervalMs);
  }
}
