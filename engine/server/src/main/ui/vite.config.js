import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Served by the management server under /client/, next to /client/api (CloudStack's paths).
export default defineConfig({
  base: '/client/',
  plugins: [vue()],
  build: {
    // Hashed file names under assets/: the server caches those for a year and index.html never.
    assetsDir: 'assets',
    // Ant Design Vue is large; one vendor chunk is cached across UI releases that leave it alone.
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        manualChunks: (id) => (id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
  server: {
    // `npm run dev` against a local management server.
    proxy: { '/client/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'node',
    include: ['test/**/*.test.js'],
  },
})
