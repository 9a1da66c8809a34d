/** Runs that reach the table's optional actions, under the printed policy (see proof.ts). */
import { proveVariants } from './proof.js';

proveVariants();
