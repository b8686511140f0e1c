#!/usr/bin/env node
/**
 * `autograph` command line.
 *   autograph run <file.ts> [args…]             run a program with conversion at load time
 *   autograph convert <file.ts> [--fn name…] [--form graph|eager]
 *                                               print the converted code of a module's functions
 *   autograph export <file.ts> --fn name --input float32[1,8]… -o model.onnx
 *                                               stage an exported function and write its ONNX model
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConversionError } from '../errors.ts';
import { type Form, WHOLE_MODULES_ENV } from '../protocol.ts';
import type { ExportArgument, ExportRequest } from './export.ts';
import { convertFunctionsOfModule } from '../transform/module.ts';

const USAGE = `usage:
  autograph run <file> [args...]                          run a JS/TS program with conversion at load time
  autograph convert <file> [--fn <name>]... [--form graph|eager]
                                                          print the converted code of the file's functions
  autograph export <file> --fn <name> [--input <arg>]... -o <model.onnx>
                                                          stage the module's exported function <name> and
                                                          write its ONNX model; one --input per argument:
                                                          a tensor signature (float32[1,8], int32[], bool[3];
                                                          a dim ? is dynamic, a named dim float32[batch,8] is
                                                          dynamic and shared by inputs that name it)
                                                          or a JS value fixed in the graph (10, true, "mean")`;

class UsageError extends Error {}

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return run(rest);
    case 'convert':
      return convert(rest);
    case 'export':
      return exportOnnx(rest);
    case undefined:
    case '-h':
    case '--help':
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** Runs a script under the loader, in a child process. */
function underLoader(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const register = fileURLToPath(new URL('../loader/register.js', import.meta.url));
  const result = spawnSync(process.execPath, ['--import', register, script, ...args], {
    stdio: 'inherit',
    env,
  });
  return result.status ?? 1;
}

function run([file, ...args]: string[]): number {
  if (!file) throw new UsageError('run needs a file');
  return underLoader(file, args);
}

function exportOnnx(args: string[]): number {
  const request: Partial<ExportRequest> = { args: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--fn') request.fn = args[++i];
    else if (a === '--input') request.args!.push(parseArgument(args[++i]));
    else if (a === '-o' || a === '--output') request.output = args[++i];
    else if (!request.file) request.file = a;
    else throw new UsageError(`unexpected argument '${a}'`);
  }
  if (!request.file) throw new UsageError('export needs a file');
  if (!request.fn) throw new UsageError('export needs --fn <name>');
  if (!request.output) throw new UsageError('export needs -o <model.onnx>');
  request.file = resolve(request.file);
  request.output = resolve(request.output);
  const worker = fileURLToPath(new URL('./export.js', import.meta.url));
  // The module is converted whole, whether or not it imports autograph-ts.
  return underLoader(worker, [JSON.stringify(request)], {
    ...process.env,
    [WHOLE_MODULES_ENV]: request.file,
  });
}

const TENSOR_SIGNATURE = /^(float32|int32|bool)\[([\w?,\s]*)\]$/;

/** `float32[1,8]`, `float32[?,8]`, `float32[batch,8]` (a tensor), else a JSON value (`10`, `true`, `"mean"`). */
function parseArgument(text: string | undefined): ExportArgument {
  if (text === undefined) throw new UsageError('--input needs a value');
  const tensor = TENSOR_SIGNATURE.exec(text.trim());
  if (tensor) {
    const dims = tensor[2]!
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean);
    const shape = dims.map((d) => (d === '?' ? null : /^\d+$/.test(d) ? Number(d) : d));
    return { dtype: tensor[1] as 'float32', shape };
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    throw new UsageError(
      `--input '${text}' is neither a tensor signature (float32[1,8], float32[?,8], float32[batch,8], int32[], bool[3]) nor a JSON value`,
    );
  }
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
