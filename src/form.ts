/**
 * The two forms of converted code. `eager`: native statements whose conditions and operators
 * dispatch at run time (JS values, eager tensors), as fast as we can make JS. `graph`: every
 * statement through a runtime operator with closures and threaded state, which staging traces.
 * Both keep the original meaning on JS values.
 */
export type Form = 'eager' | 'graph';
