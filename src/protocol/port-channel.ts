/**
 * Calls both ways over one MessagePort: the frame's hello transfers the port to the host (host-channel.ts), and
 * from then on every call and answer travels on it. A port has exactly two ends, so nothing else can write to it:
 * the origin, source window and channel checks are made once, on the window message that carried it.
 *
 * Wire shapes: a call `{ call: id, method, arg }`, its answer `{ reply: id, result }` or `{ reply: id, error }`.
 * The hello is answered as reply 0 (the frame's calls count from 1). Anything else on the port is ignored;
 * what a call carries is parsed by the receiving side's handler, never trusted here.
 *
 * Shared by the element and the frame SDK, so it stays small and imports nothing.
 */

/** A refusal as it crosses the port: a stable code, a message, and issue paths for invalid input. */
export interface WireError {
  code: string;
  message: string;
  issues?: string[];
}

export type CallHandler = (method: string, arg: unknown) => unknown;

export interface PortChannel {
  /** Calls `method` on the other end; resolves with its result, rejects with its WireError. */
  call(method: string, arg?: unknown): Promise<unknown>;
  /** Resolves with the answer numbered `id` (the hello's answer is 0). */
  reply(id: number): Promise<unknown>;
  /** Closes the port; pending calls reject with `{ code: 'DESTROYED' }`. Idempotent. */
  close(): void;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A WireError from whatever a handler threw (an Error's message is `CODE: text` by convention). */
export const toWireError = (error: unknown): WireError =>
  isObject(error) && typeof error.code === 'string'
    ? { code: error.code, message: String(error.message), ...(Array.isArray(error.issues) ? { issues: error.issues.map(String) } : {}) }
    : { code: 'REFUSED', message: String((error as Error)?.message ?? error) };

export function portChannel(port: MessagePort, handle: CallHandler): PortChannel {
  let next = 1;
  let closed = false;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: WireError): void }>();
  const wait = (id: number) => new Promise<unknown>((resolve, reject) => pending.set(id, { resolve, reject }));

  port.onmessage = async ({ data }) => {
    if (!isObject(data)) return;
    if (typeof data.reply === 'number') {
      const waiter = pending.get(data.reply);
      if (!waiter) return;
      pending.delete(data.reply);
      if ('error' in data) waiter.reject(toWireError(data.error));
      else waiter.resolve(data.result);
      return;
    }
    if (typeof data.call !== 'number' || typeof data.method !== 'string') return;
    let answer: object;
    try {
      answer = { reply: data.call, result: await handle(data.method, data.arg) };
    } catch (error) {
      answer = { reply: data.call, error: toWireError(error) };
    }
    if (!closed) port.postMessage(answer);
  };

  return {
    call(method, arg) {
      if (closed) return Promise.reject<unknown>({ code: 'DESTROYED', message: 'The channel is closed.' });
      const id = next++;
      port.postMessage({ call: id, method, arg });
      return wait(id);
    },
    reply: wait,
    close() {
      if (closed) return;
      closed = true;
      port.onmessage = null;
      port.close();
      for (const waiter of pending.values()) waiter.reject({ code: 'DESTROYED', message: 'The channel is closed.' });
      pending.clear();
    },
  };
}
