/**
 * Module transformation for the loader: every function of a module that imports autograph-ts or
 * begins with a 'use autograph' directive (as 'use strict' does; or every function whose own body
 * begins with one) gets a converted twin, defined right
 * beside it so that it shares the original's closure. The module itself keeps running the original
 * functions; `ag.convert(f)` and converted call sites find the twin through the registry.
 */
import { ConversionError } from '../errors.ts';
import { cloneTree, isFunction, lit, type Node, RUNTIME, rt, template } from './ast.ts';
import { ConversionContext, type Form } from './context.ts';
import { convertFunction } from './convert.ts';
import { DIRECTIVE, isAutographSpecifier } from './opt-in.ts';
import { inlineSourceMap, print } from './print.ts';
import { type ParsedSource, parseSource } from './source.ts';

export interface ModuleOptions {
  file: string;
  /** Strip TypeScript types first. */
  typescript?: boolean;
  /** Import specifier of the runtime (`autograph-ts/runtime` file URL under the loader). */
  runtime: string;
  /** Convert every function, as if the module imported autograph-ts (`autograph export`'s module). */
  whole?: boolean;
}

export interface TransformedModule {
  code: string;
  /** Whether any function got a twin (or a recorded failure). */
  converted: boolean;
}

/** Strips types and, where the module opts in, adds converted twins. Syntax errors are left to the JS engine. */
export function transformModule(source: string, options: ModuleOptions): TransformedModule {
  const src = parseSource(source, { file: options.file, module: true, typescript: options.typescript });
  const whole = options.whole || importsAutograph(src.program) || hasDirectiveIn(src.program.body);
  if (!whole && !source.includes(DIRECTIVE)) return { code: src.code, converted: false };
  const count = addTwins(src.program, src, whole);
  if (count === 0) return { code: src.code, converted: false };
  src.program.body.unshift(...template(`import * as ${RUNTIME} from ${JSON.stringify(options.runtime)};`));
  const printed = print(src.program, options.file, source);
  return { code: `${printed.code}\n${inlineSourceMap(printed.map)}\n`, converted: true };
}

function importsAutograph(program: Node): boolean {
  return program.body.some(
    (s: Node) => s.type === 'ImportDeclaration' && isAutographSpecifier(s.source.raw.slice(1, -1)),
  );
}

/** Whether a directive prologue (a module's, or a function body's) holds 'use autograph'. */
const hasDirectiveIn = (statements: Node[]) => statements.some((s: Node) => s.directive === DIRECTIVE);

const hasDirective = (fn: Node) => fn.body?.type === 'BlockStatement' && hasDirectiveIn(fn.body.body);

/** Adds twins for the functions below `root`; returns how many functions were handled. */
function addTwins(root: Node, src: ParsedSource, all: boolean): number {
  let count = 0;
  const twin = (fn: Node): Twins => {
    count++;
    const one = (form: Form): Node | ConversionError => {
      try {
        return convertCopy(fn, src, form);
      } catch (e) {
        if (!(e instanceof ConversionError)) throw e;
        return e;
      }
    };
    const eager = one('eager');
    const graph = one('graph');
    // Both failed: the eager form's error, which names what no form converts.
    if (eager instanceof ConversionError) return { failure: failureNode(eager, src) };
    // The eager form alone (an async function): the graph form records its own error.
    if (graph instanceof ConversionError) return { eager, graph: failureNode(graph, src), graphFailed: true };
    return { eager, graph };
  };
  const walk = (n: Node, enabled: boolean) => {
    for (const key in n) {
      if (key === 'loc') continue;
      const value = n[key];
      if (Array.isArray(value)) {
        if (isStatementList(n, key)) twinDeclarations(value, enabled);
        for (let i = 0; i < value.length; i++)
          if (value[i] && typeof value[i].type === 'string' && !value[i].isRegistration)
            value[i] = visitChild(value[i], enabled, n);
      } else if (value && typeof value.type === 'string') {
        n[key] = visitChild(value, enabled, n);
      }
    }
  };
  // Declarations are registered at the top of their statement list, because they are hoisted.
  const twinDeclarations = (list: Node[], enabled: boolean) => {
    const registrations: Node[] = [];
    for (const s of list) {
      const decl =
        s.type === 'ExportNamedDeclaration' || s.type === 'ExportDefaultDeclaration' ? s.declaration : s;
      if (decl?.type !== 'FunctionDeclaration' || !decl.id || !(enabled || hasDirective(decl))) continue;
      const t = twin(decl);
      const [registration] =
        'failure' in t
          ? template('ag__.registerFailure(F, ERROR);', { F: decl.id.name, ERROR: t.failure })
          : template('ag__.registerTwin(F, EAGER, GRAPH);', {
              F: decl.id.name,
              EAGER: t.eager,
              GRAPH: t.graph,
            });
      registration.isRegistration = true; // already converted: not walked again
      registrations.push(registration);
      decl.twinned = true;
    }
    const at = list.findIndex((s) => !s.directive && s.type !== 'ImportDeclaration');
    list.splice(at < 0 ? list.length : at, 0, ...registrations);
  };
  const visitChild = (c: Node, enabled: boolean, parent: Node): Node => {
    if (isFunction(c)) {
      const on = enabled || hasDirective(c);
      const isMethod =
        parent.type === 'MethodDefinition' ||
        (parent.type === 'Property' && (parent.method || parent.kind !== 'init'));
      const replacement = c.type !== 'FunctionDeclaration' && on && !isMethod ? twin(c) : null;
      walk(c, on);
      if (!replacement) return c;
      if ('failure' in replacement) return rt('registerFailure', c, replacement.failure);
      // A named function expression's name is bound only inside it: the twins get it as a parameter.
      if (!c.id) return rt('registerTwin', c, replacement.eager, replacement.graph);
      const pair = { type: 'ArrayExpression', elements: [replacement.eager, replacement.graph] };
      return rt('registerNamedTwin', c, {
        type: 'ArrowFunctionExpression',
        params: [{ ...c.id }],
        body: pair,
        expression: true,
      });
    }
    if ((c.type === 'ClassBody' || c.type === 'ObjectExpression') && enabled) {
      walk(c, enabled);
      return twinMethods(c, twin);
    }
    walk(c, enabled);
    return c;
  };
  walk(root, all);
  return count;
}

function isStatementList(n: Node, key: string): boolean {
  return (
    (key === 'body' && (n.type === 'Program' || n.type === 'BlockStatement' || n.type === 'StaticBlock')) ||
    key === 'consequent'
  );
}

/**
 * Methods get their twin as a sibling method under a symbol key, so `this` and `super` work in it;
 * a static block (classes) or a runtime call (object literals) registers the pair.
 */
function twinMethods(container: Node, twin: (fn: Node) => Twins): Node {
  const isClass = container.type === 'ClassBody';
  const elements: Node[] = isClass ? container.body : container.properties;
  const added: Node[] = [];
  const failures: Node[] = [];
  for (const e of elements) {
    const plain = isClass
      ? e.type === 'MethodDefinition' && e.kind === 'method' && !e.computed && e.key.type === 'Identifier'
      : e.type === 'Property' && e.method && !e.computed && e.key.type === 'Identifier';
    if (!plain) continue;
    const t = twin(e.value);
    const name = e.key.name;
    if ('failure' in t) {
      const target = e.static ? 'this' : 'this.prototype';
      failures.push(
        isClass
          ? template(`ag__.registerFailure(${target}[NAME], ERROR);`, {
              NAME: lit(name),
              ERROR: t.failure,
            })[0]
          : { type: 'ArrayExpression', elements: [lit(name), t.failure] },
      );
      continue;
    }
    for (const form of ['eager', 'graph'] as const) {
      if (form === 'graph' && t.graphFailed) {
        const target = e.static ? 'this' : 'this.prototype';
        failures.push(
          isClass
            ? template(`ag__.registerFailure(${target}[NAME], ERROR, "graph");`, {
                NAME: lit(name),
                ERROR: t.graph,
              })[0]
            : { type: 'ArrayExpression', elements: [lit(name), t.graph, lit('graph')] },
        );
        continue;
      }
      const key = rt('twinKey', lit(name), lit(!!e.static), lit(form));
      added.push({ ...e, key, computed: true, value: t[form] });
    }
  }
  if (added.length === 0 && failures.length === 0) return container;
  elements.push(...added);
  if (!isClass) return rt('registerObjectTwins', container, { type: 'ArrayExpression', elements: failures });
  container.body.push({
    type: 'StaticBlock',
    body: [...template('ag__.registerClassTwins(this);'), ...failures],
  });
  return container;
}

/** Both twins; or the eager one and, in `graph`, the code of the graph form's error; or the error. */
type Twins = { eager: Node; graph: Node; graphFailed?: boolean } | { failure: Node };

/** A converted copy of `fn`, anonymous so that inside it the function's own name still means the original. */
function convertCopy(fn: Node, src: ParsedSource, form: Form): Node {
  const copy = cloneTree(fn);
  convertFunction(copy, new ConversionContext(src, copy, form));
  return { ...copy, type: copy.type === 'FunctionDeclaration' ? 'FunctionExpression' : copy.type, id: null };
}

/** Code that rebuilds `e` where the module runs. */
function failureNode(e: ConversionError, src: ParsedSource): Node {
  const { reason, file, line, column, excerpt, hint } = e;
  return rt(
    'conversionFailure',
    lit(reason),
    lit(file ?? src.file),
    lit(line ?? 0),
    lit(column ?? 0),
    lit(excerpt ?? null),
    lit(hint ?? null),
  );
}

/**
 * The converted code of each top-level function of a module (declarations and `const f = …`
 * functions), by name, or the ConversionError that prevents it.
 */
export function convertFunctionsOfModule(
  source: string,
  options: { file: string; typescript?: boolean; form: Form },
): Map<string, string | ConversionError> {
  const src = parseSource(source, { file: options.file, module: true, typescript: options.typescript });
  const out = new Map<string, string | ConversionError>();
  for (const statement of src.program.body as Node[]) {
    const s =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
        ? statement.declaration
        : statement;
    const found: [string, Node][] =
      s?.type === 'FunctionDeclaration' && s.id
        ? [[s.id.name, s]]
        : s?.type === 'VariableDeclaration'
          ? s.declarations
              .filter((d: Node) => d.id.type === 'Identifier' && d.init && isFunction(d.init))
              .map((d: Node) => [d.id.name, d.init])
          : [];
    for (const [name, fn] of found) {
      try {
        out.set(name, print(convertCopy(fn, src, options.form), options.file, source).code);
      } catch (e) {
        if (!(e instanceof ConversionError)) throw e;
        out.set(name, e);
      }
    }
  }
  return out;
}
