// The demo's Vite config: the plugin line is all an app needs (README, "In the browser"). The aliases
// only make this example inside the repository use the package's build (dist/), as an app's
// node_modules/autograph-ts would be.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import autograph from '../../dist/plugin/vite.js';

const dist = (path: string) => fileURLToPath(new URL(`../../dist/${path}`, import.meta.url));

export default defineConfig({
  plugins: [autograph()],
  resolve: {
    alias: [
      { find: /^autograph-ts$/, replacement: dist('index.js') },
      { find: /^autograph-ts\/runtime$/, replacement: dist('runtime/index.js') },
    ],
  },
  // onnxruntime-web finds its .wasm next to its own module: not pre-bundled.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
});
