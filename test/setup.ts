/**
 * Every test file starts with staged sessions on one thread each way: the suite creates thousands of
 * small ONNX Runtime sessions, and with ONNX Runtime's defaults each would start a thread pool of its
 * own (the ONNX lowering tests took 4× as long). test/session-options.test.ts checks the defaults.
 */
import { setSessionOptions } from '../src/index.ts';

setSessionOptions({ intraOpNumThreads: 1, interOpNumThreads: 1 });
