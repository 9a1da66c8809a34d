/**
 * Child-process entry: our emulator alone in its own Node process (as
 * moto_server is in its own), on a manual clock the parent moves through the
 * admin API. Prints `{"endpoint": "…"}` on one line once listening; stops on
 * SIGTERM or when stdin closes (so it never outlives the parent).
 */
import { ManualClock } from '../src/clock/index.js';
import { startEmulator } from '../src/emulator/index.js';

const emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 1 });
process.stdout.write(`${JSON.stringify({ endpoint: emu.endpoint })}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await emu.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();
