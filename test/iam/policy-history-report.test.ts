/** The proof of the policies of history, report and rehearse, read-only (see proof.ts). */
import { provePolicy } from './proof.js';

provePolicy('history');
provePolicy('report');
provePolicy('rehearse');
