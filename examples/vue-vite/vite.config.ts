import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

export default defineConfig({
  // Tell Vue's compiler <liqx-payout-widget> is a custom element: Vue then sets `:session` as a property.
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.startsWith('liqx-') } } })],
  // `npm run dev` forwards /api to the backend (../hono-sqlite or ../express-postgres on :4519).
  server: { proxy: { '/api': 'http://localhost:4519' } },
});
