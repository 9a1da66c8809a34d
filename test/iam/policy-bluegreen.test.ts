/** The proof of the policies of bluegreen, rollback and finish (see proof.ts). */
import { provePolicy } from './proof.js';

provePolicy('bluegreen');
provePolicy('rollback');
provePolicy('finish');
