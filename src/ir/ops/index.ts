/** Every op registration (importing this module registers them). */
import './elementwise.ts';
import './structural.ts';
import './reductions.ts';
import './shape.ts';
import './nn.ts';
import './conv.ts';
import './fused.ts';
import './image.ts';
import './extra.ts';
import './lists.ts';
import './random.ts';
import './recursion.ts';

export {
  NoGradientError,
  opDef,
  presentInputs,
  registeredOps,
  registerOp,
  type OpDef,
  type Tf,
  type Tensor,
} from './registry.ts';
