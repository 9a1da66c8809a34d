/**
 * Child-process entry (run with `node --expose-gc`): the resident memory of
 * our emulator holding a large fleet, measured in a process that holds
 * nothing else. Builds `--instances` (default 10,000) instances as groups of
 * 1,000 through the SDK, advances the simulated clock until all are
 * InService, collects garbage, and prints one JSON line:
 * `{ instances, groups, rssBytes, heapUsedBytes, buildSeconds, baselineRssBytes }`.
 */
import { ManualClock } from '../src/clock/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { benchClients, buildFleet } from './fleet.js';

const GROUP_SIZE = 1000;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

const argIndex = process.argv.indexOf('--instances');
const total = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 10_000;
if (!Number.isInteger(total) || total <= 0) throw new Error(`--instances must be a positive integer, got ${process.argv[argIndex + 1]}`);

const emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 1 });
const clients = benchClients(emu.endpoint);
collect();
const baselineRssBytes = process.memoryUsage().rss;

const groups: Record<string, number> = {};
for (let i = 0, left = total; left > 0; i++, left -= GROUP_SIZE) groups[`mem-${String(i).padStart(2, '0')}`] = Math.min(GROUP_SIZE, left);

const started = performance.now();
const ids = await buildFleet(clients, groups, async () => emu.advance(60_000), { maxRounds: 120 });
const buildSeconds = (performance.now() - started) / 1000;
const instances = Object.values(ids).reduce((n, l) => n + l.length, 0);

clients.destroy();
collect();
const { rss, heapUsed } = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    instances,
    groups: Object.keys(groups).length,
    rssBytes: rss,
    heapUsedBytes: heapUsed,
    baselineRssBytes,
    buildSeconds,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    historyEntries: emu.sim.history.entries.length,
  })}\n`,
);
await emu.close();
