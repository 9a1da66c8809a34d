/** The proof of the policies of resume, abort, shrink and swap (see proof.ts). */
import { provePolicy } from './proof.js';

provePolicy('resume');
provePolicy('abort');
provePolicy('shrink');
provePolicy('swap');
