/**
 * How fast and how lean the emulator is, next to moto (docs/emulator.md: the
 * known emulator). Same machine, same SDK v3 client code, one run:
 *
 * - DescribeAutoScalingGroups on a group of 500 instances, and
 *   DescribeInstances of those 500 ids through the SDK's paginator, against
 *   our emulator and against moto_server, each in its own process; warm-up,
 *   then sequential requests for a fixed time each. Goal: ours ≥ 10× moto.
 * - Resident memory of our emulator holding 10,000 InService instances, in a
 *   child Node process of its own (`--expose-gc`, collected first). Goal: < 300 MB.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { startMotoServer, type RunningMoto } from '../test/interop/child-process.js';
import { advanceEmulator, benchClients, buildFleet, type BenchClients } from './fleet.js';

export const GROUP_SIZE = 500;
export const MEMORY_INSTANCES = 10_000;
export const THROUGHPUT_GOAL = 10;
export const MEMORY_GOAL_MB = 300;

export interface ThroughputOptions {
  /** Real seconds of measured requests per operation and side. */
  seconds?: number;
  /** Real seconds of warm-up per operation and side. */
  warmupSeconds?: number;
  /** Never fewer measured requests than this, however slow. */
  minRequests?: number;
  log?: (line: string) => void;
}

export interface Rate {
  requests: number;
  seconds: number;
  perSecond: number;
}

export interface ThroughputResult {
  describeGroups: { ours: Rate; moto: Rate };
  describeInstances: { ours: Rate; moto: Rate };
  /** The same requests over plain HTTP, answers not parsed: the servers alone. */
  rawDescribeGroups: { ours: Rate; moto: Rate };
  rawDescribeInstances: { ours: Rate; moto: Rate };
  memory: { instances: number; rssMb: number; heapUsedMb: number; baselineRssMb: number; buildSeconds: number; gcExposed: boolean };
}

async function measure(call: () => Promise<void>, seconds: number, warmupSeconds: number, minRequests: number): Promise<Rate> {
  const warmEnd = performance.now() + warmupSeconds * 1000;
  do await call();
  while (performance.now() < warmEnd);
  const started = performance.now();
  let requests = 0;
  while (requests < minRequests || performance.now() - started < seconds * 1000) {
    await call();
    requests++;
  }
  const elapsed = (performance.now() - started) / 1000;
  return { requests, seconds: elapsed, perSecond: requests / elapsed };
}

/** A SigV4-shaped Authorization header (the emulator routes by its scope; neither side verifies it). */
function scopeOnly(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;
}

/**
 * The same two requests without the SDK: the form body the SDK sends, the
 * answer read as text and not parsed. Tells the server's share of the time
 * from the client's XML parsing, which both sides pay alike.
 */
function rawCalls(endpoint: string, ids: string[]) {
  const post = async (service: string, body: string, expect: string) => {
    const res = await fetch(`${endpoint}/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Authorization: scopeOnly(service) },
      body,
    });
    const text = await res.text();
    if (res.status !== 200 || !text.includes(expect)) throw new Error(`raw ${service} call failed: HTTP ${res.status} ${text.slice(0, 200)}`);
  };
  const instancesBody = `Action=DescribeInstances&Version=2016-11-15&${ids.map((id, i) => `InstanceId.${i + 1}=${id}`).join('&')}`;
  return {
    describeGroup: () => post('autoscaling', 'Action=DescribeAutoScalingGroups&Version=2011-01-01&AutoScalingGroupNames.member.1=bench', ids[0]!),
    describeInstances: () => post('ec2', instancesBody, ids[GROUP_SIZE - 1]!),
  };
}

/** The two calls under test, identical for both sides; each checks it saw the whole fleet. */
function calls(clients: BenchClients, ids: string[]) {
  return {
    async describeGroup() {
      const out = await clients.asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['bench'] }));
      const n = out.AutoScalingGroups?.[0]?.Instances?.length ?? 0;
      if (n !== GROUP_SIZE) throw new Error(`DescribeAutoScalingGroups listed ${n} instances, expected ${GROUP_SIZE}`);
    },
    async describeInstances() {
      let n = 0;
      for await (const page of paginateDescribeInstances({ client: clients.ec2 }, { InstanceIds: ids })) {
        for (const r of page.Reservations ?? []) n += r.Instances?.length ?? 0;
      }
      if (n !== GROUP_SIZE) throw new Error(`DescribeInstances returned ${n} instances, expected ${GROUP_SIZE}`);
    },
  };
}

interface Side {
  label: 'ours' | 'moto';
  clients: BenchClients;
  sdk: ReturnType<typeof calls>;
  raw: ReturnType<typeof rawCalls>;
}

async function setUpSide(label: Side['label'], endpoint: string, advance: () => Promise<void>, log: (line: string) => void): Promise<Side> {
  const clients = benchClients(endpoint);
  const t0 = performance.now();
  const ids = (await buildFleet(clients, { bench: GROUP_SIZE }, advance)).bench!;
  log(`  ${label}: ${GROUP_SIZE} instances InService after ${((performance.now() - t0) / 1000).toFixed(1)} s of setup`);
  return { label, clients, sdk: calls(clients, ids), raw: rawCalls(endpoint, ids) };
}

/**
 * Measures one call on both sides in alternating windows (ours, moto, ours,
 * …), so that whatever else the machine is doing weighs on both alike.
 */
async function compareSides(
  name: string,
  pick: (side: Side) => () => Promise<void>,
  sides: { ours: Side; moto: Side },
  o: Required<ThroughputOptions>,
  rounds = 3,
): Promise<{ ours: Rate; moto: Rate }> {
  const total = { ours: { requests: 0, seconds: 0 }, moto: { requests: 0, seconds: 0 } };
  for (let round = 0; round < rounds; round++) {
    for (const side of [sides.ours, sides.moto]) {
      const window = await measure(pick(side), o.seconds / rounds, round === 0 ? o.warmupSeconds : 0, Math.ceil(o.minRequests / rounds));
      total[side.label].requests += window.requests;
      total[side.label].seconds += window.seconds;
    }
  }
  const rate = (t: { requests: number; seconds: number }): Rate => ({ ...t, perSecond: t.requests / t.seconds });
  const result = { ours: rate(total.ours), moto: rate(total.moto) };
  o.log(`  ${name}: ours ${result.ours.perSecond.toFixed(1)} req/s (${result.ours.requests}), moto ${result.moto.perSecond.toFixed(1)} req/s (${result.moto.requests})`);
  return result;
}

/** Our emulator in a child Node process, as moto_server is in its own. */
async function startOurEmulatorProcess(): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('./emulator-server.js', import.meta.url));
  const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n')) {
        try {
          resolve((JSON.parse(line!) as { endpoint: string }).endpoint);
        } catch (e) {
          reject(new Error(`the emulator process printed ${JSON.stringify(line)}: ${(e as Error).message}`));
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`the emulator process exited with ${code} before listening`)));
    child.once('error', reject);
  });
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Our emulator's resident memory with `instances` InService, measured in a clean child process. */
function measureMemory(instances: number): Promise<ThroughputResult['memory']> {
  const script = fileURLToPath(new URL('./emulator-memory.js', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--expose-gc', script, '--instances', String(instances)], { timeout: 10 * 60_000, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`the memory benchmark failed: ${error.message}\n${stderr}`));
      try {
        const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
          instances: number;
          rssBytes: number;
          heapUsedBytes: number;
          baselineRssBytes: number;
          buildSeconds: number;
          gcExposed: boolean;
        };
        const mb = (b: number) => b / (1024 * 1024);
        resolve({
          instances: r.instances,
          rssMb: mb(r.rssBytes),
          heapUsedMb: mb(r.heapUsedBytes),
          baselineRssMb: mb(r.baselineRssBytes),
          buildSeconds: r.buildSeconds,
          gcExposed: r.gcExposed,
        });
      } catch (e) {
        reject(new Error(`the memory benchmark printed no result: ${(e as Error).message}\n${stdout}\n${stderr}`));
      }
    });
  });
}

export async function runEmulatorThroughput(options: ThroughputOptions = {}): Promise<ThroughputResult> {
  const o: Required<ThroughputOptions> = {
    seconds: options.seconds ?? 6,
    warmupSeconds: options.warmupSeconds ?? 1,
    minRequests: options.minRequests ?? 3,
    log: options.log ?? ((line) => process.stderr.write(`${line}\n`)),
  };
  o.log('throughput: our emulator (child process) and moto_server, one fleet of 500 each …');
  const oursProcess = await startOurEmulatorProcess();
  let motoProcess: RunningMoto | undefined;
  let sides: { ours: Side; moto: Side } | undefined;
  let measured;
  try {
    motoProcess = await startMotoServer();
    sides = {
      ours: await setUpSide('ours', oursProcess.endpoint, () => advanceEmulator(oursProcess.endpoint, 60), o.log),
      moto: await setUpSide('moto', motoProcess.endpoint, async () => {}, o.log),
    };
    measured = {
      describeGroups: await compareSides('DescribeAutoScalingGroups (SDK)', (s) => s.sdk.describeGroup, sides, o),
      rawDescribeGroups: await compareSides('DescribeAutoScalingGroups (raw)', (s) => s.raw.describeGroup, sides, { ...o, seconds: o.seconds / 2 }),
      describeInstances: await compareSides('DescribeInstances (SDK)', (s) => s.sdk.describeInstances, sides, o),
      rawDescribeInstances: await compareSides('DescribeInstances (raw)', (s) => s.raw.describeInstances, sides, { ...o, seconds: o.seconds / 2 }),
    };
  } finally {
    sides?.ours.clients.destroy();
    sides?.moto.clients.destroy();
    await oursProcess.stop();
    await motoProcess?.stop();
  }
  o.log(`memory: our emulator with ${MEMORY_INSTANCES} instances (child process, --expose-gc) …`);
  const memory = await measureMemory(MEMORY_INSTANCES);
  return { ...measured, memory };
}

/** The result as a table, each number next to its goal. Returns the text and whether every goal was met. */
export function formatThroughput(r: ThroughputResult): { text: string; met: boolean } {
  const rows: string[][] = [['measure', 'ours', 'moto', 'ours/moto', 'goal', '']];
  let met = true;
  const rate = (x: Rate) => `${x.perSecond.toFixed(1)} req/s`;
  for (const [label, sdk, raw] of [
    [`DescribeAutoScalingGroups (1 group, ${GROUP_SIZE} instances)`, r.describeGroups, r.rawDescribeGroups],
    [`DescribeInstances (${GROUP_SIZE} ids, SDK paginator)`, r.describeInstances, r.rawDescribeInstances],
  ] as const) {
    const ratio = sdk.ours.perSecond / sdk.moto.perSecond;
    const ok = ratio >= THROUGHPUT_GOAL;
    met &&= ok;
    rows.push([label, rate(sdk.ours), rate(sdk.moto), `${ratio.toFixed(1)}×`, `≥ ${THROUGHPUT_GOAL}×`, ok ? 'met' : 'MISSED']);
    rows.push(['  the same over raw HTTP, answer unparsed', rate(raw.ours), rate(raw.moto), `${(raw.ours.perSecond / raw.moto.perSecond).toFixed(1)}×`, '(info)', '']);
  }
  const memOk = r.memory.rssMb < MEMORY_GOAL_MB && r.memory.instances === MEMORY_INSTANCES;
  met &&= memOk;
  rows.push([
    `RSS, ${r.memory.instances} instances InService${r.memory.gcExposed ? ' (after gc)' : ''}`,
    `${r.memory.rssMb.toFixed(0)} MB`,
    '',
    '',
    `< ${MEMORY_GOAL_MB} MB`,
    memOk ? 'met' : 'MISSED',
  ]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  const notes = [
    `requests: ${[r.describeGroups, r.describeInstances].map((p) => `${p.ours.requests} ours / ${p.moto.requests} moto in ~${p.ours.seconds.toFixed(0)} s each`).join('; ')}`,
    `memory: empty emulator ${r.memory.baselineRssMb.toFixed(0)} MB RSS; heap used ${r.memory.heapUsedMb.toFixed(0)} MB; fleet built in ${r.memory.buildSeconds.toFixed(1)} s`,
  ];
  const text = [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line), '', ...notes].join('\n');
  return { text, met };
}
