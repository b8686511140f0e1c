/**
 * `node --import autograph-ts/register app.ts`: runs TypeScript/JavaScript with autograph conversion
 * at load time. Stack traces of converted code map back to the original source.
 */
import { register } from 'node:module';

process.setSourceMapsEnabled(true);
register('./hooks.js', import.meta.url);
