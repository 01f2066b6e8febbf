/** post-robot 10 (dist/post-robot.min.js, prepended by bench/peers.ts): one `send` says ready; one per event. */
import { onEmitOne, parentOrigin } from './common.js';

declare const postRobot: { send(win: Window, name: string, data: unknown, options: { domain: string }): Promise<unknown> };
onEmitOne(() => void postRobot.send(window.parent, 'event', {}, { domain: parentOrigin }));
void postRobot.send(window.parent, 'ready', {}, { domain: parentOrigin });
