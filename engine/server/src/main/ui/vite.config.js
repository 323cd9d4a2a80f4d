import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

/**
 * Writes name.gz beside each built script and style sheet: the server sends it to browsers that take
 * gzip (the vendor chunk shrinks from about 1.5 MB to 0.5 MB) without compressing on every request.
 */
function precompress() {
  let outDir
  return {
    name: 'rbdstack-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    closeBundle() {
      const assets = join(outDir, 'assets')
      for (const name of readdirSync(assets)) {
        if (/\.(js|css|svg)$/.test(name)) {
          writeFileSync(join(assets, `${name}.gz`), gzipSync(readFileSync(join(assets, name)), { level: 9 }))
        }
      }
    },
  }
}

// Served by the management server under /client/, next to /client/api (CloudStack's paths).
export default defineConfig({
  base: '/client/',
  plugins: [vue(), precompress()],
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
