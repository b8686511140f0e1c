/**
 * Module transformation for the loader: every function of a module that imports autograph-ts or
 * begins with a 'use autograph' directive (as 'use strict' does; or every function whose own body
 * begins with one) gets a converted twin, defined right
 * beside it so that it shares the original's closure. The module itself keeps running the original
 * functions; `ag.convert(f)` and converted call sites find the twin through the registry.
 */
import { ConversionError } from '../errors.ts';
import { block, cloneTree, isFunction, lit, type Node, RUNTIME, rt, template, thunk } from './ast.ts';
import { ConversionContext, type Form, Namer } from './context.ts';
import { convertFunction } from './convert.ts';
import { DIRECTIVE, isAutographSpecifier } from './opt-in.ts';
import { inlineSourceMap, print } from './print.ts';
import { type ParsedSource, parseSource } from './source.ts';
import type { RawSourceMap } from './source-map.ts';

export interface ModuleOptions {
  file: string;
  /**
   * How converted code names the file in its messages (`label:line:col`), `file` by default: the
   * bundler plugin gives a path relative to the project, so that a bundle holds no path of the
   * machine that built it (the source map still names `file`).
   */
  label?: string;
  /** Strip TypeScript types first. */
  typescript?: boolean;
  /** Import specifier of the runtime (`autograph-ts/runtime` file URL under the loader). */
  runtime: string;
  /** Convert every function, as if the module imported autograph-ts (`autograph export`'s module). */
  whole?: boolean;
  /**
   * `'inline'` (default): the source map is a `sourceMappingURL` comment at the end of the code;
   * `'object'`: it is returned as `map` (with the original text), for a bundler to chain.
   */
  sourceMap?: 'inline' | 'object';
}

export interface TransformedModule {
  code: string;
  /** Whether any function got a twin (or a recorded failure). */
  converted: boolean;
  /** The source map, with `sourceMap: 'object'` when the module was converted. */
  map?: RawSourceMap;
}

/** Strips types and, where the module opts in, adds converted twins. Syntax errors are left to the JS engine. */
export function transformModule(source: string, options: ModuleOptions): TransformedModule {
  const src = parseSource(source, {
    file: options.label ?? options.file,
    module: true,
    typescript: options.typescript,
  });
  const whole = options.whole || importsAutograph(src.program) || hasDirectiveIn(src.program.body);
  if (!whole && !source.includes(DIRECTIVE)) return { code: src.code, converted: false };
  const count = addTwins(src.program, src, whole);
  if (count === 0) return { code: src.code, converted: false };
  src.program.body.unshift(...template(`import * as ${RUNTIME} from ${JSON.stringify(options.runtime)};`));
  if (options.sourceMap === 'object') {
    const printed = print(src.program, options.file, source);
    return { code: printed.code, converted: true, map: printed.map.toJSON() };
  }
  const printed = print(src.program, options.file);
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
 * Methods and accessors get their twin as a sibling method under a symbol key, so `this` and `super`
 * work in it (a getter's or setter's body runs the same as a method's, called with the object); a
 * static block (classes) or a runtime call (object literals) registers the pairs and removes the
 * keys. A method's twin is paired with the function under its name, an accessor's with the `get` or
 * `set` function of the property's descriptor.
 */
function twinMethods(container: Node, twin: (fn: Node) => Twins): Node {
  const isClass = container.type === 'ClassBody';
  const elements: Node[] = isClass ? container.body : container.properties;
  const added: Node[] = [];
  const failures: Node[] = [];
  const accessorFailures: Node[] = [];
  let accessors = false;
  elements.forEach((e, i) => {
    const m = twinnableMember(e, isClass);
    if (!m || redefinedLater(elements, i, m, isClass)) return;
    accessors ||= m.kind !== 'method';
    const t = twin(e.value);
    const failure = (error: Node, form?: Form) =>
      m.kind === 'method'
        ? failures.push(methodFailure(m, error, isClass, form))
        : accessorFailures.push(accessorFailure(m, error, form));
    if ('failure' in t) {
      failure(t.failure);
      return;
    }
    for (const form of ['eager', 'graph'] as const) {
      if (form === 'graph' && t.graphFailed) failure(t.graph, 'graph');
      else added.push(twinSibling(e, m, form, t[form]));
    }
  });
  if (isClass) twinPrivateMethods(container, twin);
  if (added.length === 0 && failures.length === 0 && accessorFailures.length === 0) return container;
  elements.push(...added);
  const accessorList = { type: 'ArrayExpression', elements: accessorFailures };
  if (!isClass) {
    const registered = rt('registerObjectTwins', container, { type: 'ArrayExpression', elements: failures });
    return accessors ? rt('registerObjectAccessorTwins', registered, accessorList) : registered;
  }
  const accessorRegistration = accessors
    ? template('ag__.registerClassAccessorTwins(this, FAILURES);', { FAILURES: accessorList })
    : [];
  container.body.push({
    type: 'StaticBlock',
    body: [...template('ag__.registerClassTwins(this);'), ...failures, ...accessorRegistration],
  });
  return container;
}

/**
 * Private methods (`#m`) get their twins as private sibling methods, invisible from outside the
 * class. A private method's function can only be read through an object that has it: a static one
 * through the class (in the static block), an instance one through an instance, so an instance
 * field (first in the class, so before any user field) registers the pairs when the first
 * instance is built; later instances find them registered and return at once. Private getters and
 * setters have no function that can be read at all: they run as they are, like public accessors read
 * from converted code.
 */
function twinPrivateMethods(container: Node, twin: (fn: Node) => Twins): void {
  const names = new Namer(container);
  const registrations: Record<'static' | 'instance', Node[]> = { static: [], instance: [] };
  let firstInstanceMethod: string | undefined;
  for (const e of [...container.body]) {
    if (e.type !== 'MethodDefinition' || e.kind !== 'method' || e.key.type !== 'PrivateIdentifier') continue;
    const name: string = e.key.name;
    const t = twin(e.value);
    const sibling = (form: Form, value: Node): Node => {
      const key = { type: 'PrivateIdentifier', name: names.fresh(`ag__${form}_${name}`) };
      container.body.push({ ...e, key, value });
      return privateMember(key.name);
    };
    const registration =
      'failure' in t
        ? template('ag__.registerFailure(F, ERROR);', { F: privateMember(name), ERROR: t.failure })
        : template('ag__.registerTwin(F, EAGER, GRAPH);', {
            F: privateMember(name),
            EAGER: sibling('eager', t.eager),
            GRAPH: t.graphFailed ? t.graph : sibling('graph', t.graph),
          });
    registrations[e.static ? 'static' : 'instance'].push(...registration);
    if (!e.static) firstInstanceMethod ??= name;
  }
  if (registrations.static.length) container.body.push({ type: 'StaticBlock', body: registrations.static });
  if (firstInstanceMethod !== undefined)
    addInstanceRegistrar(container, names, firstInstanceMethod, registrations.instance);
}

/**
 * A private method running `registrations` unless `first`'s twin is already registered, called by a
 * private field that comes before every other field of the class.
 */
function addInstanceRegistrar(container: Node, names: Namer, first: string, registrations: Node[]): void {
  const register = names.fresh('ag__registerPrivateTwins');
  const guard = template('if (ag__.hasTwin(F)) return;', { F: privateMember(first) });
  container.body.push({
    type: 'MethodDefinition',
    key: { type: 'PrivateIdentifier', name: register },
    computed: false,
    static: false,
    kind: 'method',
    value: { ...thunk(block([...guard, ...registrations])), type: 'FunctionExpression' },
  });
  container.body.unshift({
    type: 'PropertyDefinition',
    key: { type: 'PrivateIdentifier', name: names.fresh('ag__privateTwins') },
    computed: false,
    static: false,
    value: { type: 'CallExpression', callee: privateMember(register), arguments: [], optional: false },
  });
}

/** `this.#name` (not expressible in a template: a private name outside its class does not parse). */
function privateMember(name: string): Node {
  return {
    type: 'MemberExpression',
    object: { type: 'ThisExpression' },
    property: { type: 'PrivateIdentifier', name },
    computed: false,
    optional: false,
  };
}

/** A method or accessor of a class body or object literal, under a key known before it runs. */
interface Member {
  name: string;
  kind: 'method' | 'get' | 'set';
  isStatic: boolean;
}

/**
 * The key of a class element or object literal property: its name when written as an identifier or
 * a string or number literal (computed or not), `'private'` for `#name`, `'dynamic'` otherwise (a
 * computed expression, or a spread, which may define any key).
 */
function memberKey(e: Node): { name: string } | 'private' | 'dynamic' | 'none' {
  if (e.type === 'SpreadElement') return 'dynamic';
  if (e.type === 'StaticBlock' || !e.key) return 'none';
  const k = e.key;
  if (k.type === 'PrivateIdentifier') return 'private';
  if (!e.computed && k.type === 'Identifier') return { name: k.name };
  if (k.type === 'Literal' && (typeof k.value === 'string' || typeof k.value === 'number'))
    return { name: String(k.value) };
  return 'dynamic';
}

/** `e` as a public member the loader twins (private methods: `twinPrivateMethods`). */
function twinnableMember(e: Node, isClass: boolean): Member | undefined {
  const key = memberKey(e);
  if (typeof key === 'string') return undefined;
  if (isClass) {
    if (e.type !== 'MethodDefinition' || e.kind === 'constructor') return undefined;
    return { name: key.name, kind: e.kind, isStatic: !!e.static };
  }
  if (e.type !== 'Property' || !(e.method || e.kind !== 'init')) return undefined;
  return { name: key.name, kind: e.kind === 'init' ? 'method' : e.kind, isStatic: false };
}

/**
 * Whether an element after `elements[i]` may replace the function `m` stands for: then the name no
 * longer leads to it, and pairing by name would give another function its twin. A later accessor of
 * the other kind completes the same property instead; instance fields live on the instances, not on
 * the prototype that holds the methods.
 */
function redefinedLater(elements: Node[], i: number, m: Member, isClass: boolean): boolean {
  return elements.slice(i + 1).some((l) => {
    if (isClass && (l.type === 'StaticBlock' || !!l.static !== m.isStatic)) return false;
    if (isClass && l.type === 'PropertyDefinition' && !l.static) return false;
    const key = memberKey(l);
    if (key === 'dynamic') return true;
    if (typeof key === 'string' || key.name !== m.name) return false;
    const otherAccessor = (l.kind === 'get' || l.kind === 'set') && l.kind !== m.kind && m.kind !== 'method';
    return !otherAccessor;
  });
}

/** The twin of `e` in `form`, as a method under the symbol key that registration looks for. */
function twinSibling(e: Node, m: Member, form: Form, value: Node): Node {
  const key =
    m.kind === 'method'
      ? rt('twinKey', lit(m.name), lit(m.isStatic), lit(form))
      : rt('accessorTwinKey', lit(m.name), lit(m.kind), lit(m.isStatic), lit(form));
  return e.type === 'MethodDefinition'
    ? { ...e, kind: 'method', key, computed: true, value }
    : { ...e, kind: 'init', method: true, shorthand: false, key, computed: true, value };
}

/** Registers why a method has no twin: a static-block statement (classes), or an entry for registerObjectTwins. */
function methodFailure(m: Member, error: Node, isClass: boolean, form?: Form): Node {
  const formArg = form ? [lit(form)] : [];
  if (!isClass) return { type: 'ArrayExpression', elements: [lit(m.name), error, ...formArg] };
  const target = m.isStatic ? 'this' : 'this.prototype';
  return template(`ag__.registerFailure(${target}[NAME], ERROR, FORM);`, {
    NAME: lit(m.name),
    ERROR: error,
    FORM: formArg,
  })[0]!;
}

/** An entry for registerClassAccessorTwins / registerObjectAccessorTwins: why an accessor has no twin. */
function accessorFailure(m: Member, error: Node, form?: Form): Node {
  return {
    type: 'ArrayExpression',
    elements: [lit(m.name), lit(m.kind), lit(m.isStatic), error, ...(form ? [lit(form)] : [])],
  };
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
