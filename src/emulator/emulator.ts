/**
 * The emulator's HTTP adapter: one loopback listener for every service (docs/
 * emulator.md "Wire"), routed by the SigV4 credential scope, then X-Amz-Target,
 * then Version. Handlers are pure functions (world.ts `Handler`); this file
 * only reads bodies, routes, applies injected faults, records calls and
 * renders results through protocol/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScaledClock } from '../clock/index.js';
import { AwsError } from './aws-error.js';
import { handleAdmin, ADMIN_PREFIX } from './admin.js';
import {
  decodeQueryInput,
  decodeJsonInput,
  encodeJsonError,
  encodeJsonOutput,
  encodeXmlError,
  encodeXmlOutput,
  loadServiceModel,
  serviceFromApiVersion,
  serviceFromSigningName,
  type ServiceName,
} from './protocol/index.js';
import { isKnownRegion, invalidRegionError } from './regions.js';
import { requestOriginProblem } from './request-guard.js';
import { Rng } from './rng.js';
import { readStateFile, restoreSnapshot, takeSnapshot, writeStateFile } from './persistence/index.js';
import { DEFAULT_REGION, Simulation, type ServiceHandlers, type SteerableClock } from './world.js';
import { autoscalingHandlers, startAutoScalingController, startInstanceRefreshEngine, startWarmPools } from './services/autoscaling/index.js';
import { ec2Handlers, startEc2 } from './services/ec2/index.js';
import { elbv2Handlers, startElbv2 } from './services/elbv2/index.js';
import { cloudwatchHandlers } from './services/cloudwatch/index.js';
import { startAutomation } from './metrics/index.js';
import { authorizeCall, setIamPolicy } from './iam/index.js';

/** Bodies above this are refused with an AWS error (E-22), never buffered. */
export const MAX_BODY_BYTES = 1024 * 1024;

const HANDLERS: Record<ServiceName, ServiceHandlers> = {
  autoscaling: autoscalingHandlers,
  ec2: ec2Handlers,
  elbv2: elbv2Handlers,
  cloudwatch: cloudwatchHandlers,
};

export interface EmulatorOptions {
  /** Interface to listen on. Loopback unless told otherwise. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Simulated seconds per real second (ignored when `clock` is given). Default 1. */
  speed?: number;
  /** Seed for ids, jitter and flaky health checks. Default 1. */
  seed?: number;
  /** A clock to share with the code under test (ScaledClock or ManualClock). */
  clock?: SteerableClock;
  /** Real milliseconds between catch-ups of the event queue. Default 10. */
  pumpIntervalMs?: number;
  /** Entries kept in the recorded history's ring (E-41). Default DEFAULT_HISTORY_SIZE (200,000). */
  historySize?: number;
  /**
   * A state file (E-23): loaded at start (missing: an empty state, and the file
   * is created), saved every `stateSaveIntervalMs` and on close. A corrupt file
   * or one from a newer asg-deploy is refused (AsgDeployError BAD_INPUT).
   * With a `clock`, the clock is moved forward to the saved instant if behind it.
   */
  stateFile?: string;
  /** Real milliseconds between periodic saves of `stateFile`. Default 30,000; 0 saves only at start and on close. */
  stateSaveIntervalMs?: number;
  /** An IAM policy document (JSON text or object) every AWS call must satisfy; the admin API can change or lift it. */
  iamPolicy?: string | object;
}

export const DEFAULT_STATE_SAVE_INTERVAL_MS = 30_000;

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:4566 */
  readonly endpoint: string;
  readonly port: number;
  readonly host: string;
  readonly sim: Simulation;
  /** Moves simulated time forward by `ms`, firing every event that comes due. */
  advance(ms: number): void;
  /** Writes the state file now (atomically); no-op without `stateFile`. */
  saveState(): void;
  /** Stops listening and, with `stateFile`, saves the state a last time. */
  close(): Promise<void>;
}

let requestCounter = 0;
/**
 * Request ids come from their own seeded stream, not the world's `sim.rng`: an
 * id is drawn when a request arrives, before its body is read, so concurrent
 * requests (a snapshot's parallel Describe calls) interleave their draws with
 * other handlers' draws in whatever order the sockets deliver them. On the
 * world's stream that real-time order shifted every later instance id, AZ tie
 * and termination pick, and a rehearsal of one seed on a VirtualClock gave
 * 241 s or 311 s depending on machine load (E-2: same seed, same calls, same
 * world). AWS request ids are opaque per-request UUIDs that nothing depends on
 * (ResponseMetadata.RequestId, "ID that uniquely identifies a request":
 * https://docs.aws.amazon.com/sdkfornet/latest/apidocs/items/TRuntimeResponseMetadataNET35.html).
 */
const requestIdRngs = new WeakMap<Simulation, Rng>();
function newRequestId(sim: Simulation): string {
  requestCounter = (requestCounter + 1) % 0xffffffff;
  let rng = requestIdRngs.get(sim);
  // Seeded from where the world's stream stands at the first request (the seed, or a loaded state's position, E-23), so a restored emulator does not repeat the ids it gave before its save.
  if (!rng) requestIdRngs.set(sim, (rng = new Rng((sim.rng.position ^ 0x5eed1d5) >>> 0)));
  const h = rng.hex(24);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${(requestCounter >>> 0).toString(16).padStart(12, '0')}`;
}

/** SigV4 `Authorization: AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, …` */
export function credentialScope(authorization: string | undefined): { region: string; service: string } | undefined {
  if (!authorization) return undefined;
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(authorization);
  return m ? { region: m[1]!, service: m[2]! } : undefined;
}

/** Percent-escapes that do not decode (`%zz`, a lone `%`) make a malformed query string (E-22). */
function isMalformedForm(body: string): boolean {
  return /%(?![0-9a-fA-F]{2})/.test(body);
}

interface Routed {
  service: ServiceName;
  region: string;
  json: boolean;
  jsonTarget?: string;
}

function route(req: IncomingMessage, params: URLSearchParams | undefined): Routed | undefined {
  const scope = credentialScope(req.headers.authorization);
  const region = scope?.region ?? DEFAULT_REGION;
  const target = req.headers['x-amz-target'];
  const contentType = String(req.headers['content-type'] ?? '');
  const json = contentType.includes('json') || typeof target === 'string';
  let service = scope ? serviceFromSigningName(scope.service) : undefined;
  if (!service && typeof target === 'string' && target.startsWith('GraniteServiceVersion20100801.')) service = 'cloudwatch';
  if (!service && params) service = serviceFromApiVersion(params.get('Version') ?? '');
  if (!service) return undefined;
  return { service, region, json: json && service === 'cloudwatch', jsonTarget: typeof target === 'string' ? target : undefined };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, contentType: string, requestId: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': requestId,
    ...extra,
  });
  res.end(body);
}

/**
 * Refuses a request before reading it (E-42, E-43). The body is read and
 * discarded so the client gets the answer rather than a TCP reset; the answer
 * is sent once the body has ended, or at once when `answerFirst` (a body too
 * large to wait for). Past DRAIN_LIMIT_BYTES the connection is closed after
 * the answer.
 */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

function refuseRequest(req: IncomingMessage, res: ServerResponse, status: number, message: string, answerFirst = false): void {
  const body = JSON.stringify({ error: message });
  res.shouldKeepAlive = false;
  let drained = 0;
  const answer = () => {
    if (res.headersSent) return;
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  };
  const hangUp = () => {
    req.pause();
    if (res.writableFinished) req.socket.destroy();
    else res.once('finish', () => req.socket.destroy());
  };
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) {
      answer();
      hangUp();
    }
  });
  req.on('end', answer);
  req.on('error', () => req.socket.destroy());
  if (answerFirst) answer();
}

/** Injected call faults (E-20, E-21): throttling answers as each service does. */
function injectedFault(sim: Simulation, service: ServiceName, action: string): AwsError | undefined {
  for (const f of sim.faults.calls) {
    if ((f.service === '*' || f.service === service) && (f.action === '*' || f.action === action) && sim.rng.next() < f.rate) {
      if (f.kind === 'server-error') {
        return service === 'ec2'
          ? new AwsError('InternalError', 'An internal error has occurred', 500)
          : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
      }
      return service === 'ec2'
        ? new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503)
        : new AwsError('Throttling', 'Rate exceeded', 400);
    }
  }
  return undefined;
}

async function handleAws(sim: Simulation, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId(sim);
  const body = await readBody(req);
  const xmlType = 'text/xml';
  let params: URLSearchParams | undefined;
  if (body !== undefined) {
    // Query protocols read the form even when a client mislabels it; a JSON
    // body sent to a query service then simply has no Action (MissingAction).
    // URLSearchParams is lenient with bad escapes, so routing still works and
    // the request is refused below with MalformedQueryString (E-22).
    params = new URLSearchParams(body);
    if (req.url && req.url.includes('?')) {
      for (const [k, v] of new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1))) if (!params.has(k)) params.set(k, v);
    }
  }
  const routed = route(req, params);
  if (!routed) {
    const err = new AwsError('InvalidAction', 'could not tell which service this request is for: sign it with SigV4 (the credential scope names the service) or send Action and a known Version', 400);
    const model = loadServiceModel('autoscaling');
    const { status, body: out } = encodeXmlError(model, err, requestId);
    return send(res, status, out, xmlType, requestId);
  }
  const model = loadServiceModel(routed.service);
  const fail = (err: AwsError, action: string) => {
    sim.history.record({ t: sim.now, type: 'call', region: routed.region, service: routed.service, action, ok: false, code: err.code });
    if (routed.json) {
      const { status, body: out, headers } = encodeJsonError(model, err, requestId);
      return send(res, status, out, 'application/x-amz-json-1.0', requestId, headers);
    }
    const { status, body: out } = encodeXmlError(model, err, requestId);
    return send(res, status, out, xmlType, requestId);
  };
  if (body === undefined) return fail(new AwsError('RequestEntityTooLarge', `request body exceeds ${MAX_BODY_BYTES} bytes`, 413), 'unknown');
  // A made-up region is refused as AWS refuses it and never creates a region (E-40).
  if (!isKnownRegion(routed.region)) return fail(invalidRegionError(routed.region), params?.get('Action') ?? 'unknown');
  if (!routed.json && isMalformedForm(body)) return fail(new AwsError('MalformedQueryString', 'The query string contains a malformed percent-encoding', 400), 'unknown');

  let operation = params?.get('Action') ?? 'unknown';
  try {
    const decoded = routed.json
      ? decodeJsonInput(model, routed.jsonTarget ?? '', body)
      : decodeQueryInput(model, params!);
    operation = decoded.operation;
    const handler = HANDLERS[routed.service][operation];
    if (!handler) {
      throw new AwsError(routed.service === 'ec2' ? 'InvalidAction' : 'InvalidAction', `The action ${operation} is not valid for this web service.`, 400);
    }
    // IAM authorizes before the service acts (the admin API never reaches here).
    const denied = authorizeCall(sim, sim.region(routed.region), routed.service, operation, decoded.input, req.headers.authorization);
    if (denied) throw denied;
    sim.catchUp();
    const fault = injectedFault(sim, routed.service, operation);
    if (fault) throw fault;
    const output = handler({ sim, region: sim.region(routed.region), requestId }, decoded.input);
    sim.history.record({ t: sim.now, type: 'call', region: routed.region, service: routed.service, action: operation, ok: true });
    if (routed.json) return send(res, 200, encodeJsonOutput(model, operation, output), 'application/x-amz-json-1.0', requestId);
    return send(res, 200, encodeXmlOutput(model, operation, output, requestId), xmlType, requestId);
  } catch (e) {
    if (AwsError.isAwsError(e)) return fail(e, operation);
    // A bug of ours: answer as AWS answers a server fault, keep serving (E-22).
    const err = new AwsError('InternalFailure', `internal error in the emulator: ${(e as Error)?.message ?? String(e)}`, 500);
    return fail(err, operation);
  }
}

/** Builds the simulation with every service's controller started on it. */
export function createSimulation(options: { clock: SteerableClock; seed?: number; historySize?: number }): Simulation {
  const sim = new Simulation({ clock: options.clock, seed: options.seed, historySize: options.historySize });
  startEc2(sim);
  startElbv2(sim);
  startAutoScalingController(sim);
  startAutomation(sim);
  startInstanceRefreshEngine(sim);
  startWarmPools(sim);
  return sim;
}

/**
 * Starts the emulator in this process.
 *
 * ```ts
 * const emu = await startEmulator({ speed: 100 });   // 100 simulated s per real s
 * const asg = new AutoScalingClient({ endpoint: emu.endpoint, region: 'us-east-1', credentials });
 * …
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const stateFile = options.stateFile;
  const saved = stateFile ? readStateFile(stateFile) : undefined;
  // The simulated clock resumes from the saved instant (E-23).
  const clock = options.clock ?? new ScaledClock(options.speed ?? 1, saved?.now);
  if (saved && clock.now() < saved.now) clock.advance(saved.now - clock.now());
  const sim = createSimulation({ clock, seed: options.seed ?? saved?.seed, historySize: options.historySize });
  if (saved) restoreSnapshot(sim, saved, stateFile);
  const saveState = () => {
    if (stateFile) writeStateFile(stateFile, takeSnapshot(sim));
  };
  // Written at once: a missing file is created, and an unwritable path fails now rather than at shutdown.
  saveState();
  if (options.iamPolicy !== undefined) setIamPolicy(sim, options.iamPolicy);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const isAdmin = path.startsWith(ADMIN_PREFIX);
    // DNS rebinding (E-42): a loopback emulator answers only to loopback names,
    // and the admin API only to pages of its own origin.
    const refused = requestOriginProblem({ host: req.headers.host, origin: req.headers.origin, listenHost: host, admin: isAdmin });
    if (refused) return refuseRequest(req, res, 403, refused);
    // A declared body too large even to read through is refused at once (E-43).
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > DRAIN_LIMIT_BYTES) {
      return refuseRequest(req, res, 413, `request body of ${declared} bytes is far above the limit (${MAX_BODY_BYTES} bytes for AWS calls)`, true);
    }
    const work = isAdmin ? handleAdmin(sim, req, res) : handleAws(sim, req, res);
    work.catch((e) => {
      if (!res.headersSent) send(res, 500, `<ErrorResponse><Error><Code>InternalFailure</Code><Message>${String(e)}</Message></Error></ErrorResponse>`, 'text/xml', 'none');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const pump = setInterval(() => sim.catchUp(), options.pumpIntervalMs ?? 10);
  pump.unref();
  const saveEvery = options.stateSaveIntervalMs ?? DEFAULT_STATE_SAVE_INTERVAL_MS;
  const saver =
    stateFile && saveEvery > 0
      ? setInterval(() => {
          try {
            saveState();
          } catch {
            // The emulator keeps serving; the save on close reports the error if it persists.
          }
        }, saveEvery)
      : undefined;
  saver?.unref();
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `http://${urlHost}:${port}`,
    port,
    host,
    sim,
    advance(ms: number) {
      sim.clock.advance(ms);
      sim.catchUp();
    },
    saveState,
    async close() {
      clearInterval(pump);
      if (saver) clearInterval(saver);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      saveState();
    },
  };
}
