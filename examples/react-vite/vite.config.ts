import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` forwards /api to the backend (../hono-sqlite or ../express-postgres on :4519).
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://localhost:4519' } },
});
