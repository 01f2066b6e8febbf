/**
 * WebKitGTK's MiniBrowser over WebDriver classic, for e2e tests that drive a page with a cross-origin frame:
 * Xvfb on a free display, WebKitWebDriver on a free port, one session, and the few commands the tests use.
 * MiniBrowser has no headless mode (hence Xvfb), and the driver speaks classic WebDriver only
 * (no BiDi, no script before the page runs). `findWebKit()` (scripts/find-engines.mjs) finds both binaries.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** The W3C key of an element reference in WebDriver's JSON. */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export type ElementRef = { [ELEMENT]: string };

/** Polls `get` until it returns something other than undefined; fails naming `what` after `ms`. */
export async function waitFor<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

export interface WebKitSession {
  /** One WebDriver command on this session (`path` after /session/<id>); a WebDriver error is thrown with its name. */
  wd(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any>;
  /** Runs `script` (a function body) in the current browsing context and returns its value. */
  execute<T = unknown>(script: string, ...args: unknown[]): Promise<T>;
  /** The first displayed element matching `css` in the current browsing context, or undefined. */
  displayed(css: string): Promise<ElementRef | undefined>;
  click(element: ElementRef): Promise<void>;
  /** Makes `frame` (an iframe's element reference) the current browsing context; `null`: the top page. */
  switchToFrame(frame: ElementRef | null): Promise<void>;
  close(): Promise<void>;
}

/** Starts Xvfb and WebKitWebDriver, then a MiniBrowser session; `close()` ends all three. */
export async function startWebKit({ driver, xvfb }: { driver: string; xvfb: string }, timeout: number): Promise<WebKitSession> {
  const children: ChildProcess[] = [];
  const stopAll = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  let sessionUrl = '';
  async function wd(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
    const res = await fetch(path.startsWith('http') ? path : `${sessionUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as { value: any };
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
  }
  try {
    // Xvfb picks a free display and writes its number to fd 3.
    const x = spawn(xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    children.push(x);
    let out = '';
    (x.stdio[3] as NodeJS.ReadableStream).on('data', (c) => (out += c));
    const display = await waitFor('the Xvfb display', () => (out.includes('\n') ? `:${out.trim()}` : undefined), timeout);
    const port = await freePort();
    children.push(spawn(driver, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } }));
    const driverUrl = `http://127.0.0.1:${port}`;
    await waitFor('WebKitWebDriver /status', () => fetch(`${driverUrl}/status`).then((r) => (r.ok ? true : undefined), () => undefined), timeout);
    const session = await wd('POST', `${driverUrl}/session`, { capabilities: { alwaysMatch: { browserName: 'MiniBrowser' } } });
    sessionUrl = `${driverUrl}/session/${session.sessionId}`;
  } catch (error) {
    stopAll();
    throw error;
  }
  const execute = <T>(script: string, ...args: unknown[]) => wd('POST', '/execute/sync', { script, args }) as Promise<T>;
  return {
    wd,
    execute,
    async displayed(css) {
      const found = (await wd('POST', '/elements', { using: 'css selector', value: css })) as ElementRef[];
      for (const el of found) if (await wd('GET', `/element/${el[ELEMENT]}/displayed`)) return el;
      return undefined;
    },
    async click(element) {
      await wd('POST', `/element/${element[ELEMENT]}/click`, {});
    },
    async switchToFrame(frame) {
      await wd('POST', '/frame', { id: frame });
    },
    async close() {
      await wd('DELETE', '').catch(() => undefined);
      stopAll();
    },
  };
}
