/**
 * `npm run bench`: the emulator's benchmarks, one run; the table on stdout,
 * progress on stderr. A missed goal is reported in the table (MISSED), not as
 * a failing exit code: the run itself succeeded. Not part of `npm test`.
 */
import { formatThroughput, runEmulatorThroughput } from './emulator-throughput.js';

const started = performance.now();
const result = await runEmulatorThroughput();
const { text, met } = formatThroughput(result);
process.stdout.write(`\nasg-deploy emulator benchmark (same SDK v3 client code, sequential requests, same machine)\n\n${text}\n\n`);
process.stdout.write(`finished in ${((performance.now() - started) / 1000).toFixed(0)} s; ${met ? 'every goal met' : 'at least one goal MISSED'}\n`);
