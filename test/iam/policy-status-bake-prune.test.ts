/** The proof of the policies of status, bake and prune (see proof.ts). */
import { provePolicy } from './proof.js';

provePolicy('status');
provePolicy('bake');
provePolicy('prune');
