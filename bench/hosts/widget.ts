/** The widget (dist/cdn/liqx-payout-widget.js is prepended): `<liqx-payout-widget>` with a session; ready is `liqx-ready`. */
import { deferred, register } from './common.js';

let mounts = 0;
register({
  mount(url, onEvent) {
    const id = ++mounts;
    const el = document.createElement('liqx-payout-widget') as HTMLElement & { session: unknown; frame: HTMLIFrameElement | null; onPayoutSubmitted: unknown };
    const ready = deferred();
    el.addEventListener('liqx-ready', () => ready.resolve(), { once: true });
    el.addEventListener('liqx-error', (e) => ready.reject(new Error(JSON.stringify((e as CustomEvent).detail))), { once: true });
    el.onPayoutSubmitted = () => onEvent();
    el.session = {
      session_id: `ses_bench_${id}`,
      widget_url: `${url}&intent=int_bench_${id}`,
      session_token: `tok_bench_${id}`,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      intent_id: `int_bench_${id}`,
    };
    document.body.append(el);
    return {
      ready: ready.promise,
      frames: () => (el.frame ? [el.frame] : []),
      dispose: () => el.remove(),
    };
  },
});
