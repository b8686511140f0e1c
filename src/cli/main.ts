#!/usr/bin/env node
/**
 * `autograph` command line.
 *   autograph run <file.ts> [args…]             run a program with conversion at load time
 *   autograph convert <file.ts> [--fn name…] [--form graph|eager]
 *                                               print the converted code of a module's functions
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConversionError } from '../errors.ts';
import type { Form } from '../protocol.ts';
import { convertFunctionsOfModule } from '../transform/module.ts';

const USAGE = `usage:
  autograph run <file> [args...]                          run a JS/TS program with conversion at load time
  autograph convert <file> [--fn <name>]... [--form graph|eager]
                                                          print the converted code of the file's functions`;

class UsageError extends Error {}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'convert':
      return convert(rest);
    case undefined:
    case '-h':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

function run([file, ...args]: string[]): number {
  if (!file) throw new UsageError('run needs a file');
  const register = fileURLToPath(new URL('../loader/register.js', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', register, file, ...args], { stdio: 'inherit' });
  return result.status ?? 1;
}

function convert(args: string[]): number {
  const names: string[] = [];
  let form: Form = 'graph';
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--fn') names.push(args[++i] ?? '');
    else if (a === '--form') form = parseForm(args[++i]);
    else if (!file) file = a;
    else throw new UsageError(`unexpected argument '${a}'`);
  }
  if (!file) throw new UsageError('convert needs a file');
  const path = resolve(file);
  const functions = convertFunctionsOfModule(readFileSync(path, 'utf8'), {
    file: path,
    typescript: /\.[mc]?ts$/.test(path),
    form,
  });
  const wanted = names.length ? names : [...functions.keys()];
  let status = 0;
  for (const name of wanted) {
    const code = functions.get(name);
    if (code === undefined)
      throw new UsageError(
        `no top-level function '${name}' in ${file} (found: ${[...functions.keys()].join(', ') || 'none'})`,
      );
    if (code instanceof ConversionError) {
      console.error(`autograph: '${name}' cannot be converted: ${code.message}`);
      status = 1;
    } else {
      console.log(`// ${name}\n${code}\n`);
    }
  }
  return status;
}

function parseForm(value: string | undefined): Form {
  if (value === 'graph' || value === 'eager') return value;
  throw new UsageError(`--form takes 'graph' or 'eager', not '${value}'`);
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (e instanceof UsageError) {
    console.error(`autograph: ${e.message}\n${USAGE}`);
    process.exitCode = 2;
  } else if (e instanceof ConversionError) {
    console.error(`autograph: ${e.name}: ${e.message}`);
    process.exitCode = 1;
  } else {
    throw e;
  }
}
