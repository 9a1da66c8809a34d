/** The proof of the policies of history and report, read-only (see proof.ts). */
import { provePolicy } from './proof.js';

provePolicy('history');
provePolicy('report');
