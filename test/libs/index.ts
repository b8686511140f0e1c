/** The libraries of the third-party suites (`npm run fuzz:libs`, test/libs.test.ts). */
import { dateFns } from './date-fns.ts';
import { lodash } from './lodash.ts';
import { ramda } from './ramda.ts';
import { underscore } from './underscore.ts';

export const LIBRARIES = [lodash, ramda, underscore, dateFns];
