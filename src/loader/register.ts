/**
 * `node --import autograph-ts/register app.ts`: runs TypeScript/JavaScript with autograph conversion
 * at load time. Stack traces of converted code map back to the original source.
 */
import * as nodeModule from 'node:module';

process.setSourceMapsEnabled(true);

/** module.registerHooks (Node ≥ 22.15), absent from the Node 20 types. */
type RegisterHooks = (hooks: {
  resolve: typeof import('./hooks.ts').resolveSync;
  load: typeof import('./hooks.ts').loadSync;
}) => unknown;
const { registerHooks } = nodeModule as typeof nodeModule & { registerHooks?: RegisterHooks };

if (registerHooks) {
  // In-thread and synchronous: no hooks thread to start, no message to it for every module.
  const { resolveSync, loadSync } = await import('./hooks.ts');
  registerHooks({ resolve: resolveSync, load: loadSync });
} else {
  nodeModule.register('./hooks.js', import.meta.url);
}
