/**
 * The admin API (E-20), on the same port under `/_emulator/`, JSON in and out:
 *
 *   GET  /_emulator/health                  → { ok, now, speed, history: { capacity, size, dropped } }
 *   GET  /_emulator/clock                   → { now, epochMs, speed }
 *   POST /_emulator/clock   { speed?, advanceSeconds?, pause?, resume? }
 *   GET  /_emulator/faults                  → the faults in force
 *   POST /_emulator/faults  { calls?: [{ service?, action?, rate, kind? }],
 *                             launchFailures?: { AZ: ErrorCode }, azOutages?: [AZ] }
 *   DELETE /_emulator/faults                → clears all faults
 *   POST /_emulator/reset   { seed? }       → empties every region, history, faults and the IAM policy
 *   GET  /_emulator/state[?region=R]        → a dump of every service's state
 *   GET  /_emulator/history[?since=ms&type=T&limit=N] → { capacity, size, dropped, entries }
 *   POST /_emulator/iam-policy  {Version, Statement} → enforce this IAM policy on every AWS call
 *   GET  /_emulator/iam-policy              → the policy in force ({ policy: null } when none)
 *   DELETE /_emulator/iam-policy            → lift it
 *   GET  /_emulator/serving?group=G[&targetGroupArn=…][&region=R]
 *                                           → serving capacity over time, with the history ring's bounds
 *   GET  /_emulator/load                    → requests/s per target group, by region
 *   POST /_emulator/load    { targetGroupArn, requestsPerSecond }  (0 clears; docs/emulator-automation.md E-25)
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dumpAutoScalingState } from './services/autoscaling/index.js';
import { dumpEc2State } from './services/ec2/index.js';
import { dumpElbv2State } from './services/elbv2/index.js';
import { servingTimeline } from './serving.js';
import { LoadError, loadsView, setLoad } from './metrics/index.js';
import { clearIamPolicy, currentIamPolicy, PolicyDocumentError, setIamPolicy } from './iam/index.js';
import type { Faults, Simulation } from './world.js';

export const ADMIN_PREFIX = '/_emulator/';
const MAX_ADMIN_BODY = 64 * 1024;

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Read to the end even past the limit: leaving the loop early destroys the
  // socket and the client sees a TCP reset instead of the 413 (E-43).
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= MAX_ADMIN_BODY) chunks.push(chunk as Buffer);
  }
  if (size > MAX_ADMIN_BODY) throw new AdminError(413, `admin request body of ${size} bytes exceeds ${MAX_ADMIN_BODY} bytes`);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, unknown>;
  } catch {
    throw new AdminError(400, 'the admin API takes a JSON object body, e.g. {"advanceSeconds": 30}');
  }
}

function numberField(body: Record<string, unknown>, name: string, min: number, max = Infinity): number | undefined {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new AdminError(400, `${name} must be a number between ${min} and ${max}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** The history ring's bounds (E-41): `dropped` entries are gone from the front. */
function historyView(sim: Simulation) {
  return { capacity: sim.history.capacity, size: sim.history.size, dropped: sim.history.dropped };
}

function clockView(sim: Simulation) {
  sim.catchUp();
  return { now: new Date(sim.now).toISOString(), epochMs: sim.now, speed: sim.clock.speed };
}

/** The speed to return to on resume, per simulation. */
const speedBeforePause = new WeakMap<Simulation, number>();

function parseFaults(body: Record<string, unknown>, current: Faults): Faults {
  const next: Faults = { calls: [...current.calls], launchFailures: new Map(current.launchFailures), azOutages: new Set(current.azOutages) };
  if (body.calls !== undefined) {
    if (!Array.isArray(body.calls)) throw new AdminError(400, 'calls must be a list of { service?, action?, rate, kind? }');
    next.calls = body.calls.map((c: unknown, i: number) => {
      const f = (c ?? {}) as Record<string, unknown>;
      const rate = f.rate;
      if (typeof rate !== 'number' || rate < 0 || rate > 1) throw new AdminError(400, `calls[${i}].rate must be a fraction between 0 and 1, got ${JSON.stringify(rate)}`);
      const kind = f.kind ?? 'throttle';
      if (kind !== 'throttle' && kind !== 'server-error') throw new AdminError(400, `calls[${i}].kind must be "throttle" or "server-error", got ${JSON.stringify(kind)}`);
      return { service: String(f.service ?? '*'), action: String(f.action ?? '*'), rate, kind };
    });
  }
  if (body.launchFailures !== undefined) {
    if (typeof body.launchFailures !== 'object' || body.launchFailures === null) throw new AdminError(400, 'launchFailures must be an object { "us-east-1a": "InsufficientInstanceCapacity" }');
    next.launchFailures = new Map(Object.entries(body.launchFailures as Record<string, unknown>).map(([az, code]) => [az, String(code)]));
  }
  if (body.azOutages !== undefined) {
    if (!Array.isArray(body.azOutages)) throw new AdminError(400, 'azOutages must be a list of AZ names');
    next.azOutages = new Set(body.azOutages.map(String));
  }
  return next;
}

function faultsView(f: Faults) {
  return { calls: f.calls, launchFailures: Object.fromEntries(f.launchFailures), azOutages: [...f.azOutages] };
}

async function route(sim: Simulation, req: IncomingMessage, url: URL): Promise<[number, unknown]> {
  const path = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  switch (`${method} ${path}`) {
    case 'GET health':
      return [200, { ok: true, ...clockView(sim), history: historyView(sim) }];
    case 'GET clock':
      return [200, clockView(sim)];
    case 'POST clock': {
      const body = await readJson(req);
      const speed = numberField(body, 'speed', 0, 1e6);
      const advanceSeconds = numberField(body, 'advanceSeconds', 0, 1e9);
      if (body.pause === true) {
        if (sim.clock.speed > 0) speedBeforePause.set(sim, sim.clock.speed);
        if (!sim.clock.setSpeed) throw new AdminError(409, 'this emulator runs on a manual clock: it is always paused; use advanceSeconds');
        sim.catchUp();
        sim.clock.setSpeed(0);
      }
      if (body.resume === true) {
        if (!sim.clock.setSpeed) throw new AdminError(409, 'this emulator runs on a manual clock; use advanceSeconds');
        sim.catchUp();
        sim.clock.setSpeed(speedBeforePause.get(sim) ?? 1);
      }
      if (speed !== undefined) {
        if (!sim.clock.setSpeed) throw new AdminError(409, 'this emulator runs on a manual clock; its speed cannot be set');
        sim.catchUp();
        sim.clock.setSpeed(speed);
      }
      if (advanceSeconds !== undefined) {
        sim.catchUp();
        sim.clock.advance(advanceSeconds * 1000);
        sim.catchUp();
      }
      return [200, clockView(sim)];
    }
    case 'GET faults':
      return [200, faultsView(sim.faults)];
    case 'POST faults': {
      sim.faults = parseFaults(await readJson(req), sim.faults);
      return [200, faultsView(sim.faults)];
    }
    case 'DELETE faults':
      sim.faults = { calls: [], launchFailures: new Map(), azOutages: new Set() };
      return [200, faultsView(sim.faults)];
    case 'POST reset': {
      const body = await readJson(req);
      const seed = numberField(body, 'seed', 0, 2 ** 32 - 1);
      sim.reset(seed);
      // Like the faults, an enforced policy is a condition a test set up: a reset starts clean.
      clearIamPolicy(sim);
      return [200, { ok: true, ...clockView(sim) }];
    }
    case 'GET state': {
      sim.catchUp();
      const only = url.searchParams.get('region');
      const regions = sim.allRegions().filter((r) => !only || r.region === only);
      return [
        200,
        {
          ...clockView(sim),
          regions: Object.fromEntries(
            regions.map((r) => [r.region, { ec2: dumpEc2State(r), elbv2: dumpElbv2State(r), autoscaling: dumpAutoScalingState(r) }]),
          ),
        },
      ];
    }
    case 'GET history': {
      sim.catchUp();
      const since = Number(url.searchParams.get('since') ?? 0);
      const type = url.searchParams.get('type');
      const limit = Number(url.searchParams.get('limit') ?? Infinity);
      const entries = sim.history.entries.filter((e) => e.t >= since && (!type || e.type === type));
      return [200, { ...historyView(sim), entries: Number.isFinite(limit) ? entries.slice(-limit) : entries }];
    }
    case 'POST iam-policy': {
      const body = await readJson(req);
      try {
        return [200, { policy: setIamPolicy(sim, body).document }];
      } catch (e) {
        if (e instanceof PolicyDocumentError) throw new AdminError(400, `MalformedPolicyDocument: ${e.message}`);
        throw e;
      }
    }
    case 'GET iam-policy':
      return [200, { policy: currentIamPolicy(sim)?.document ?? null }];
    case 'DELETE iam-policy':
      clearIamPolicy(sim);
      return [200, { policy: null }];
    case 'GET serving': {
      sim.catchUp();
      const group = url.searchParams.get('group');
      if (!group) throw new AdminError(400, 'serving needs ?group=NAME (and &targetGroupArn=ARN for each target group that counts)');
      const timeline = servingTimeline(sim.history.entries, {
        group,
        targetGroupArns: url.searchParams.getAll('targetGroupArn'),
        region: url.searchParams.get('region') ?? undefined,
      });
      // With entries dropped from the ring (E-41) the replay starts late: the consumer is told.
      return [200, { group, timeline, history: historyView(sim) }];
    }
    case 'GET load':
      return [200, { loads: loadsView(sim) }];
    case 'POST load': {
      const body = await readJson(req);
      try {
        return [200, { loads: setLoad(sim, body.targetGroupArn, body.requestsPerSecond) }];
      } catch (e) {
        if (e instanceof LoadError) throw new AdminError(400, e.message);
        throw e;
      }
    }
    default:
      throw new AdminError(404, `no admin endpoint ${method} ${ADMIN_PREFIX}${path}; see the README's "Admin API" section`);
  }
}

export async function handleAdmin(sim: Simulation, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://emulator');
  try {
    const [status, body] = await route(sim, req, url);
    reply(res, status, body);
  } catch (e) {
    if (e instanceof AdminError) return reply(res, e.status, { error: e.message });
    reply(res, 500, { error: `internal error in the emulator: ${(e as Error).message}` });
  }
}
