import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [svelte()],
  // `npm run dev` forwards /api to the backend (../hono-sqlite or ../express-postgres on :4519).
  server: { proxy: { '/api': 'http://localhost:4519' } },
});
