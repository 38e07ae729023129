// The web console and partner portal: built into dist/web, served by apps/api at / (apps/api/src/web.ts).
// No React plugin: Vite 8 (rolldown + oxc) compiles TSX with the automatic JSX runtime itself, and
// @vitejs/plugin-react 6 would pull in a Babel 8 release candidate only for fast refresh.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // One chunk per area: the portal does not load the console's charts and forms.
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      // Mantine marks its modules "use client" (for React Server Components): meaningless in a SPA.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npx vite apps/web` during development: the API on :3000 behind the dev server.
    // Every path but the app's own pages and Vite's files goes to the API: no list of API
    // prefixes to keep in step with the controllers.
    proxy: {
      '^/(?!(?:src|assets|node_modules|@vite|@fs|@id|@react-refresh|console|portal|login)(?:/|$)).+':
        'http://127.0.0.1:3000',
    },
  },
});
