/**
 * `npm run bench startup` (issue 11 "a quick start"): how long the built CLI
 * takes to start, side by side with a bare `node -e 0` on the same machine at
 * the same moment — `asg-deploy --help`, `--version`, and `status` on a group
 * that does not exist (an in-process emulator answers it). Runs interleave,
 * round by round, so a busy machine slows every column alike; the medians'
 * ratios to bare node are the result. Goals: 3× for --help and --version, 5×
 * for status.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../src/emulator/index.js';

const BIN = fileURLToPath(new URL('../src/cli/bin.js', import.meta.url));

export interface StartupRow {
  name: string;
  /** Median wall time, ms. */
  medianMs: number;
  ratio: number;
  goal?: number;
}

export interface StartupResult {
  rounds: number;
  rows: StartupRow[];
}

/** Runs one command and times it to its exit. Asynchronous: the in-process emulator must keep answering meanwhile. */
function runOnce(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; status: number | null }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (status) => resolve({ ms: performance.now() - start, status }));
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function runStartupBench(options: { rounds?: number; log?: (line: string) => void } = {}): Promise<StartupResult> {
  const rounds = options.rounds ?? 9;
  const emu = await startEmulator({ port: 0 });
  try {
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const commands: { name: string; args: string[]; expect: number; goal?: number }[] = [
      { name: 'node -e 0', args: ['-e', '0'], expect: 0 },
      { name: 'asg-deploy --help', args: [BIN, '--help'], expect: 0, goal: 3 },
      { name: 'asg-deploy --version', args: [BIN, '--version'], expect: 0, goal: 3 },
      { name: 'asg-deploy status (missing group)', args: [BIN, '--endpoint-url', emu.endpoint, '--region', 'us-east-1', 'status', 'no-such-group'], expect: 2, goal: 5 },
    ];
    const times = commands.map(() => [] as number[]);
    // One warm-up round (disk cache), not counted.
    for (const c of commands) await runOnce(c.args, env);
    for (let round = 0; round < rounds; round++) {
      for (const [i, c] of commands.entries()) {
        const r = await runOnce(c.args, env);
        if (r.status !== c.expect) throw new Error(`${c.name} exited ${r.status}, expected ${c.expect}`);
        times[i]!.push(r.ms);
      }
      options.log?.(`startup round ${round + 1}/${rounds}`);
    }
    const base = median(times[0]!);
    return {
      rounds,
      rows: commands.map((c, i) => ({ name: c.name, medianMs: median(times[i]!), ratio: median(times[i]!) / base, ...(c.goal === undefined ? {} : { goal: c.goal }) })),
    };
  } finally {
    await emu.close();
  }
}

export function formatStartup(r: StartupResult): { text: string; met: boolean } {
  let met = true;
  const lines = [`median of ${r.rounds} interleaved runs each`, '', 'command                              median      × node -e 0   goal'];
  for (const row of r.rows) {
    const ok = row.goal === undefined || row.ratio <= row.goal;
    met &&= ok;
    const goal = row.goal === undefined ? '' : `≤ ${row.goal}×  ${ok ? 'met' : 'MISSED'}`;
    lines.push(`${row.name.padEnd(36)} ${`${row.medianMs.toFixed(0)} ms`.padStart(8)}    ${row.ratio.toFixed(2).padStart(6)}×      ${goal}`);
  }
  return { text: lines.join('\n'), met };
}
