/** autograph-ts's webpack plugin: converted twins at build time (see ./index.ts). */
import { autograph, type PluginOptions } from './index.ts';

export type { PluginOptions };
export default autograph.webpack;
