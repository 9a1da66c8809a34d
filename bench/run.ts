/**
 * `npm run bench`: the benchmarks, one run; the tables on stdout, progress on
 * stderr. A missed goal is reported in the table (MISSED), not as a failing
 * exit code: the run itself succeeded. Not part of `npm test`.
 *
 *   node dist/bench/run.js               every bench
 *   node dist/bench/run.js throughput    the emulator against moto_server
 *   node dist/bench/run.js rolling       rolling deploys of 20 and 200 instances
 *   node dist/bench/run.js automation    an hour of 20 × 50 instances with target tracking and alarms
 *   node dist/bench/run.js race          asg-deploy against Instance Refresh and Ansible on the same fleet
 *   node dist/bench/run.js startup       the CLI's start-up against a bare `node -e 0`
 */
import { formatThroughput, runEmulatorThroughput } from './emulator-throughput.js';
import { formatRace, runRaceBench } from './race.js';
import { formatRolling, runRollingBench } from './rolling.js';
import { formatAutomation, runAutomationBench } from './emulator-automation.js';
import { formatStartup, runStartupBench } from './startup.js';

interface Bench {
  title: string;
  run(): Promise<{ text: string; met: boolean }>;
}

const BENCHES: Record<string, Bench> = {
  throughput: {
    title: 'asg-deploy emulator benchmark (same SDK v3 client code, sequential requests, same machine)',
    run: async () => formatThroughput(await runEmulatorThroughput()),
  },
  rolling: {
    title: 'asg-deploy rolling deploy benchmark (engine and in-process emulator on one scaled clock)',
    run: async () => formatRolling(await runRollingBench()),
  },
  automation: { title: 'asg-deploy emulator automation benchmark (metrics, alarms, target tracking; in-process, manual clock)', run: async () => formatAutomation(await runAutomationBench()) },
  race: {
    title: 'asg-deploy against Instance Refresh and Ansible, side by side on one emulator (same fleet, same floor, same surge)',
    run: async () => formatRace(await runRaceBench()),
  },
  startup: {
    title: 'asg-deploy start-up (the built CLI, side by side with a bare node)',
    run: async () => formatStartup(await runStartupBench({ log: (line) => process.stderr.write(line + '\n') })),
  },
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; choose from: ${Object.keys(BENCHES).join(', ')} (none: all)\n`);
  process.exit(2);
}
const names = asked.length > 0 ? [...new Set(asked)] : Object.keys(BENCHES);

const started = performance.now();
let allMet = true;
for (const name of names) {
  const bench = BENCHES[name]!;
  const { text, met } = await bench.run();
  allMet &&= met;
  process.stdout.write(`\n${bench.title}\n\n${text}\n\n`);
}
process.stdout.write(`finished in ${((performance.now() - started) / 1000).toFixed(0)} s; ${allMet ? 'every goal met' : 'at least one goal MISSED'}\n`);
