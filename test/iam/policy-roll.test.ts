/** The proof of the policy of roll (see proof.ts). */
import { provePolicy } from './proof.js';

provePolicy('roll');
