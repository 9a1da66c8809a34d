/**
 * Running other programs against the emulator: the AWS CLI, python3 with
 * boto3, moto_server. Always the async `execFile`/`spawn`, never the sync
 * variants: the emulator under test usually runs in this very process and
 * must keep answering while the child talks to it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** The credentials every child gets: fake, and never printed. */
const FAKE_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' } as const;

/**
 * The environment for an AWS client child process pointed at `endpoint`:
 * this process's environment without any AWS_* variable of its own (no
 * profile, no real credentials leak in), plus the endpoint override and fake
 * credentials, and no config files, pager or retries.
 *
 * ```ts
 * await runChild('aws', ['ec2', 'describe-subnets'], { env: awsChildEnv(emu.endpoint) });
 * ```
 */
export function awsChildEnv(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return {
    ...env,
    ...FAKE_CREDENTIALS,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: endpoint,
    AWS_PAGER: '',
    AWS_DEFAULT_OUTPUT: 'json',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_MAX_ATTEMPTS: '1',
    AWS_RETRY_MODE: 'standard',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extra,
  };
}

export interface ChildResult {
  /** The exit code (null when killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `file args` to completion and reports its exit code and output; a
 * non-zero exit is a result, not a rejection (tests assert on it). Rejects
 * only when the program cannot be started or outlives `timeoutMs`.
 */
export function runChild(file: string, args: readonly string[], options: { env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: options.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(`${file} is not installed (ENOENT)`));
        if (error && error.killed) return reject(new Error(`${file} ${args.slice(0, 3).join(' ')} … timed out; stderr: ${stderr}`));
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A TCP port that was free a moment ago on 127.0.0.1 (bind port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningMoto {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts `moto_server -H 127.0.0.1 -p PORT` as a child process group and
 * resolves once it answers HTTP. `stop()` ends that process group (and only
 * it) and waits for it to exit.
 *
 * ```ts
 * const moto = await startMotoServer();
 * try { … new EC2Client({ endpoint: moto.endpoint, … }) … } finally { await moto.stop(); }
 * ```
 */
export async function startMotoServer(options: { startTimeoutMs?: number } = {}): Promise<RunningMoto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  const child: ChildProcess = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...env, ...FAKE_CREDENTIALS, AWS_DEFAULT_REGION: 'us-east-1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, 'SIGTERM'); // the group we created: moto_server and anything it forked
      } catch {
        child.kill('SIGTERM');
      }
      const killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 3000);
      await exited;
      clearTimeout(killTimer);
    }
  };

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (spawnError) throw new Error(`moto_server could not start: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode} before answering: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST', signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server did not answer on ${endpoint} within ${options.startTimeoutMs ?? 30_000} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { endpoint, port, stop };
}
