/** What converted code and the runtime agree on, shared by transform/ and runtime/ + staging/. */

/**
 * The two forms of converted code. `eager`: native statements whose conditions and operators
 * dispatch at run time (JS values, eager tensors), as fast as we can make JS. `graph`: every
 * statement through a runtime operator with closures and threaded state, which staging traces.
 * Both keep the original meaning on JS values.
 */
export type Form = 'eager' | 'graph';

/**
 * How state names list the variable a lowered `return` stores its value in. No identifier can be
 * spelled like this; staging lets this variable hold zeros where it is still unset, because it is
 * read only once its return flag is set.
 */
export const RETURN_VALUE = 'the return value';

/**
 * The loader's environment variable listing (path-delimited) files whose every function is
 * converted though they do not import autograph-ts: `autograph export` sets it for its module.
 */
export const WHOLE_MODULES_ENV = 'AUTOGRAPH_WHOLE_MODULES';
