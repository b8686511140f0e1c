/**
 * The loader's on-disk cache of transformed modules (converted, or TypeScript with its types
 * stripped), as Babel's and tsx's: an unchanged module is transformed once, not at every start. The
 * key hashes everything the output depends on: the source text, its path where it matters (source
 * maps and recorded errors name it), the transform's options, the autograph-ts version and build
 * (the loader file's modification time, so a rebuild invalidates), and the Node version. Entries are
 * written atomically (temp file + rename); an entry that cannot be read is ignored and the module
 * transformed again. `AUTOGRAPH_CACHE=0` disables the cache; `AUTOGRAPH_CACHE_DIR` moves it
 * (default: `node_modules/.cache/autograph-ts` under the working directory, or the OS temp directory
 * without a node_modules there). `AUTOGRAPH_CACHE_DEBUG=1` reports each hit and miss on stderr.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE_ENV = 'AUTOGRAPH_CACHE';
export const CACHE_DIR_ENV = 'AUTOGRAPH_CACHE_DIR';
export const CACHE_DEBUG_ENV = 'AUTOGRAPH_CACHE_DEBUG';

/** Ends every entry, so that a truncated one is recognized. */
const TRAILER = '\n//# autograph-ts-cache-end\n';

export interface TransformCache {
  get(key: string): string | undefined;
  set(key: string, code: string): void;
  key(parts: readonly (string | boolean)[]): string;
}

/** The cache for this process, or null when disabled. */
export function openCache(env: NodeJS.ProcessEnv = process.env): TransformCache | null {
  if (env[CACHE_ENV] === '0' || env[CACHE_ENV] === 'false') return null;
  const dir = env[CACHE_DIR_ENV] || defaultDir();
  const debug = env[CACHE_DEBUG_ENV] === '1';
  const stamp = buildStamp();
  let ready = false;
  const log = (what: string, key: string) => {
    if (debug) process.stderr.write(`autograph-ts cache ${what} ${key}\n`);
  };
  return {
    key(parts) {
      const h = createHash('sha256');
      for (const p of [stamp, process.version, ...parts]) h.update(`${String(p).length}:${p}\0`);
      return h.digest('hex');
    },
    get(key) {
      try {
        const text = readFileSync(join(dir, `${key}.js`), 'utf8');
        if (text.endsWith(TRAILER)) {
          log('hit', key);
          return text.slice(0, -TRAILER.length);
        }
      } catch {
        // missing or unreadable: convert again
      }
      log('miss', key);
      return undefined;
    },
    set(key, code) {
      const file = join(dir, `${key}.js`);
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      try {
        if (!ready) {
          mkdirSync(dir, { recursive: true });
          ready = true;
        }
        writeFileSync(temp, code + TRAILER);
        renameSync(temp, file);
      } catch {
        // a read-only or full disk only costs the next start a conversion
        try {
          unlinkSync(temp);
        } catch {}
      }
    },
  };
}

let processCache: TransformCache | null | undefined;

/** The loader's cache, opened with the first module the loader strips or converts. */
export function loaderCache(): TransformCache | null {
  if (processCache === undefined) processCache = openCache();
  return processCache;
}

function defaultDir(): string {
  const modules = join(process.cwd(), 'node_modules');
  if (existsSync(modules)) return join(modules, '.cache', 'autograph-ts');
  return join(tmpdir(), `autograph-ts-cache-${process.getuid?.() ?? 'user'}`);
}

/** The package version and this build of it. */
function buildStamp(): string {
  let version = 'unknown';
  try {
    version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
  } catch {}
  let built = '';
  try {
    built = String(statSync(fileURLToPath(import.meta.url)).mtimeMs);
  } catch {}
  return `autograph-ts@${version}+${built}`;
}
