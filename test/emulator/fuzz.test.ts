/**
 * E-22 robustness: a bounded, seeded fuzz loop of malformed requests over raw
 * HTTP to every service. Each one must get an AWS error document (XML with
 * <Code>, or JSON with __type) with a 4xx/5xx status, quickly; well-formed
 * requests interleaved with them must keep working; afterwards the SDK still
 * works, the state is untouched and the history recorded each failure (E-20).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateCommand, DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ManualClock } from '../../src/clock/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loadServiceModel, SERVICE_NAMES, type ServiceModel, type ServiceName } from '../../src/emulator/protocol/index.js';
import { codecModel, type CodecMember } from '../../src/emulator/protocol/codec-shape.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SEED = 0x5eed_e22;
const CASES = 320;
/** Wall-clock budget for one response and for the whole loop. */
const PER_REQUEST_MS = 3_000;
const LOOP_BUDGET_MS = 10_000;
const CONCURRENCY = 8;

// ---------------------------------------------------------------------------
// Seeded randomness (mulberry32), so a failure replays exactly.

function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256))),
    word: (n: number) => Array.from({ length: n }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(next() * 52)]).join(''),
  };
}
type Rng = ReturnType<typeof rng>;

// ---------------------------------------------------------------------------
// The cases.

interface FuzzCase {
  kind: string;
  service?: ServiceName;
  headers: Record<string, string>;
  body: string | Buffer;
  /** The emulator can tell which service this is for, so it records a failed call (E-20). */
  routable: boolean;
  /** The error code AWS gives for this mistake, when the spec names it. */
  expectCode?: RegExp;
  /** An awsJson request: the error must be JSON with __type. */
  json?: boolean;
  /** A well-formed control request interleaved with the garbage: must succeed. */
  valid?: boolean;
}

const MODELS = Object.fromEntries(SERVICE_NAMES.map((s) => [s, loadServiceModel(s)])) as Record<ServiceName, ServiceModel>;
const FORM = 'application/x-www-form-urlencoded; charset=utf-8';
const JSON_TYPE = 'application/x-amz-json-1.0';

function signed(service: ServiceName, r: Rng): Record<string, string> {
  const scope = `AKIDEXAMPLE/20260101/us-east-1/${MODELS[service].metadata.signingName}/aws4_request`;
  return {
    Authorization: `AWS4-HMAC-SHA256 Credential=${scope}, SignedHeaders=content-type;host;x-amz-date, Signature=${r.bytes(32).toString('hex')}`,
    'X-Amz-Date': '20260101T120000Z',
  };
}

function form(fields: [string, string][]): string {
  return fields.map(([k, v]) => `${encodeURIComponent(k).replace(/%2E/g, '.')}=${encodeURIComponent(v)}`).join('&');
}

/** Top-level input members of each operation, with their wire keys, from the model. */
function operations(service: ServiceName) {
  const model = MODELS[service];
  const codec = codecModel(model, model.metadata.protocol);
  return Object.entries(model.operations).map(([name, op]) => ({
    name,
    members: op.input ? [...codec.shape(op.input).members] : ([] as CodecMember[]),
  }));
}
const OPS = Object.fromEntries(SERVICE_NAMES.map((s) => [s, operations(s)])) as Record<ServiceName, ReturnType<typeof operations>>;

const QUERY_SERVICES: ServiceName[] = ['autoscaling', 'ec2', 'elbv2', 'cloudwatch'];
const missingCode = (s: ServiceName) => (s === 'ec2' ? /^MissingParameter$/ : /^ValidationError$/);
const wrongTypeCode = (s: ServiceName) => (s === 'ec2' ? /^(InvalidParameterValue|MissingParameter)$/ : /^ValidationError$/);

const GARBAGE: Record<string, string[]> = {
  integer: ['twelve', '1.5', '0x10', '99999999999999999999999', '', ' 7', '1e3', 'NaN'],
  long: ['ten', '2.5', '9'.repeat(40)],
  boolean: ['yes', 'maybe', '1', 'TRUE!', 'nope', ''],
  timestamp: ['yesterday', '2026-13-45T99:99:99Z', 'not-a-date', '2026/01/01', '12:00', '-1'],
  double: ['abc', '1,5', '--1'],
  float: ['abc', '1..2'],
};

function caseFor(kind: string, r: Rng): FuzzCase {
  const service = r.pick(QUERY_SERVICES);
  const { apiVersion } = MODELS[service].metadata;
  const isSigned = r.next() < 0.7;
  const auth = isSigned ? signed(service, r) : {};
  const op = r.pick(OPS[service]);
  switch (kind) {
    case 'bad-percent-encoding': {
      const bad = r.pick(['%zz', '%', '%4', 'abc%G1', '%%41', '100%', '%u0041']);
      const fields = form([['Action', op.name], ['Version', apiVersion]]);
      const where = r.pick(['value', 'key', 'action']);
      const body =
        where === 'value' ? `${fields}&${op.members[0]?.queryKey ?? 'Name'}=${bad}` : where === 'key' ? `${fields}&Na${bad}me=x` : `Action=${op.name}${bad}&Version=${apiVersion}`;
      return { kind, service, headers: { 'Content-Type': FORM, ...auth }, body, routable: true, expectCode: /^MalformedQueryString$/ };
    }
    case 'unknown-action': {
      const action = r.pick([`Frobnicate${r.word(6)}`, `${op.name}X`, op.name.toLowerCase(), 'constructor', '__proto__', 'toString', '']);
      const body = form([['Action', action], ['Version', apiVersion]]);
      return { kind, service, headers: { 'Content-Type': FORM, ...auth }, body, routable: true, expectCode: action ? /^InvalidAction$/ : /^(MissingAction|InvalidAction)$/ };
    }
    case 'missing-required': {
      const withRequired = OPS[service].filter((o) => o.members.some((m) => m.required));
      const target = r.pick(withRequired);
      // Send every optional top-level string member left empty of required ones, i.e. just the Action.
      const body = form([['Action', target.name], ['Version', apiVersion]]);
      return { kind: `${kind}:${service}.${target.name}`, service, headers: { 'Content-Type': FORM, ...auth }, body, routable: true, expectCode: missingCode(service) };
    }
    case 'wrong-type': {
      const typed = OPS[service].flatMap((o) => o.members.filter((m) => m.shape.type in GARBAGE).map((m) => ({ o, m })));
      const { o, m } = r.pick(typed);
      const value = r.pick(GARBAGE[m.shape.type]!);
      const body = form([['Action', o.name], ['Version', apiVersion], [m.queryKey, value]]);
      return { kind: `${kind}:${service}.${o.name}.${m.name}=${JSON.stringify(value)}`, service, headers: { 'Content-Type': FORM, ...auth }, body, routable: true, expectCode: wrongTypeCode(service) };
    }
    case 'huge-list-index': {
      const index = r.pick(['4294967296', '9007199254740993', '99999999999999999999999999', '1' + '0'.repeat(400), '-1', '0', '1e9', '007']);
      const byService: Record<ServiceName, [string, string][]> = {
        autoscaling: [['Action', 'DescribeAutoScalingGroups'], [`AutoScalingGroupNames.member.${index}`, 'g'], ['MaxRecords', 'lots']],
        ec2: [['Action', 'DescribeInstances'], [`InstanceId.${index}`, 'i-0123456789abcdef0'], ['MaxResults', 'lots']],
        elbv2: [['Action', 'RegisterTargets'], [`Targets.member.${index}.Port`, '80']],
        cloudwatch: [['Action', 'DescribeAlarms'], [`AlarmNames.member.${index}`, 'a'], ['MaxRecords', 'lots']],
      };
      const body = form([...byService[service], ['Version', apiVersion]]);
      return { kind, service, headers: { 'Content-Type': FORM, ...auth }, body, routable: true, expectCode: wrongTypeCode(service) };
    }
    case 'deeply-nested-keys': {
      const depth = r.int(50, 4000);
      const tail = Array.from({ length: depth }, (_, i) => (i % 3 === 0 ? 'member' : i % 3 === 1 ? String(r.int(1, 9)) : r.word(3))).join('.');
      const byService: Record<ServiceName, [string, string][]> = {
        autoscaling: [['Action', 'CreateAutoScalingGroup'], [`LaunchTemplate.${tail}`, 'x'], [`Tags.member.1.${tail}`, 'y']],
        ec2: [['Action', 'RunInstances'], [`TagSpecification.1.Tag.1.${tail}`, 'x'], [`Filter.${tail}`, 'y']],
        elbv2: [['Action', 'CreateTargetGroup'], [`Matcher.${tail}`, 'x'], [`Tags.member.${tail}`, 'y']],
        cloudwatch: [['Action', 'PutMetricAlarm'], [`Dimensions.member.${tail}`, 'x'], [`Metrics.${tail}`, 'y']],
      };
      const body = form([...byService[service], ['Version', apiVersion]]);
      return { kind, service, headers: { 'Content-Type': FORM, ...auth }, body, routable: true, expectCode: missingCode(service) };
    }
    case 'random-bytes': {
      const body = r.bytes(r.int(1, 4096));
      const headers: Record<string, string> = { 'Content-Type': r.pick([FORM, 'application/octet-stream', 'text/plain']), ...signed(service, r) };
      return { kind, service, headers, body, routable: true };
    }
    case 'random-bytes-unsigned': {
      // No credential scope, no Version: nothing names a service.
      return { kind, headers: { 'Content-Type': FORM }, body: r.bytes(r.int(1, 2048)), routable: false };
    }
    case 'oversized-body': {
      const size = 1024 * 1024 + r.int(1, 256 * 1024);
      const prefix = form([['Action', 'DescribeAutoScalingGroups'], ['Version', '2011-01-01'], ['AutoScalingGroupNames.member.1', '']]);
      const body = prefix + 'a'.repeat(size);
      return { kind, service: 'autoscaling', headers: { 'Content-Type': FORM, ...signed('autoscaling', r) }, body, routable: true };
    }
    case 'oversized-json': {
      const body = JSON.stringify({ AlarmNames: Array.from({ length: 60_000 }, (_, i) => `alarm-${i}-${'x'.repeat(12)}`) });
      return {
        kind,
        service: 'cloudwatch',
        headers: { 'Content-Type': JSON_TYPE, 'X-Amz-Target': 'GraniteServiceVersion20100801.DescribeAlarms', ...signed('cloudwatch', r) },
        body,
        routable: true,
        json: true,
      };
    }
    case 'wrong-version': {
      // EC2 answers every old API version, so only the Coral (awsQuery) services are asked here.
      const coral = r.pick<ServiceName>(['autoscaling', 'elbv2', 'cloudwatch']);
      const version = r.pick(['2099-01-01', '2011-01-02', 'latest', '', '2016-11-15']);
      const action = r.pick(OPS[coral]).name;
      const body = form([['Action', action], ['Version', version]]);
      return { kind: `${kind}:${coral}.${action}@${version}`, service: coral, headers: { 'Content-Type': FORM, ...signed(coral, r) }, body, routable: true, expectCode: /^InvalidAction$/ };
    }
    case 'unsigned-unroutable': {
      const variants: Record<string, string>[] = [
        {},
        { Authorization: 'AWS4-HMAC-SHA256 garbage' },
        { Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/s3/aws4_request, Signature=00' },
        { Authorization: 'Basic dGVzdDp0ZXN0' },
      ];
      const body = form([['Action', op.name], ...(r.next() < 0.5 ? [] : ([['Version', '1999-09-09']] as [string, string][]))]);
      return { kind, headers: { 'Content-Type': FORM, ...r.pick(variants) }, body, routable: false };
    }
    case 'unsigned-missing-params': {
      const withRequired = OPS[service].filter((o) => o.members.some((m) => m.required));
      const target = r.pick(withRequired);
      const body = form([['Action', target.name], ['Version', apiVersion]]);
      return { kind: `${kind}:${service}.${target.name}`, service, headers: { 'Content-Type': FORM }, body, routable: true, expectCode: missingCode(service) };
    }
    case 'cloudwatch-json-garbage': {
      const action = r.pick(['DescribeAlarms', 'PutMetricAlarm', 'DeleteAlarms', 'GetMetricStatistics', 'SetAlarmState', 'PutMetricData']);
      const deep = '['.repeat(r.int(100, 20_000)) + ']'.repeat(r.int(0, 10));
      const bodies: [string, RegExp | undefined][] = [
        ['{', /^SerializationException$/],
        ['{"AlarmNames": ["a",', /^SerializationException$/],
        ['[]', /^SerializationException$/],
        ['"DescribeAlarms"', /^SerializationException$/],
        ['null', /^SerializationException$/],
        ['42', /^SerializationException$/],
        [deep, /^SerializationException$/],
        // NUL is never JSON (nor trimmed away), whatever bytes follow.
        ['\u0000' + r.bytes(r.int(1, 512)).toString('latin1'), /^SerializationException$/],
      ];
      const typed: Record<string, [string, RegExp | undefined][]> = {
        DescribeAlarms: [['{"MaxRecords":"ten"}', /^ValidationError$/], ['{"AlarmNames":"not-a-list"}', /^ValidationError$/], ['{"AlarmNames":[1,{}]}', /^ValidationError$/]],
        PutMetricAlarm: [['{}', /^ValidationError$/], ['{"AlarmName":"a","EvaluationPeriods":"two","ComparisonOperator":"GreaterThanThreshold"}', /^ValidationError$/]],
        DeleteAlarms: [['{}', /^ValidationError$/]],
        GetMetricStatistics: [['{"Namespace":"AWS/EC2","MetricName":"CPUUtilization","StartTime":"yesterday","EndTime":true,"Period":60}', /^ValidationError$/]],
        SetAlarmState: [['{"AlarmName":"a","StateValue":"ON_FIRE","StateReason":"x"}', /^ValidationError$/]],
        PutMetricData: [['{"Namespace":"n","MetricData":[{"MetricName":"m","Value":"high","Timestamp":"not-a-date"}]}', /^ValidationError$/]],
      };
      const [body, expectCode] = r.pick([...bodies, ...typed[action]!]);
      const headers = { 'Content-Type': JSON_TYPE, 'X-Amz-Target': `GraniteServiceVersion20100801.${action}`, ...(r.next() < 0.5 ? signed('cloudwatch', r) : {}) };
      return { kind: `${kind}:${action}:${body.slice(0, 40)}`, service: 'cloudwatch', headers, body, routable: true, json: true, expectCode };
    }
    case 'cloudwatch-unknown-target': {
      const target = r.pick([`GraniteServiceVersion20100801.${r.word(8)}`, 'GraniteServiceVersion20100801.', 'GraniteServiceVersion20100801.constructor', 'GraniteServiceVersion20100801.__proto__']);
      const headers = { 'Content-Type': JSON_TYPE, 'X-Amz-Target': target, ...signed('cloudwatch', r) };
      return { kind: `${kind}:${target}`, service: 'cloudwatch', headers, body: '{}', routable: true, json: true };
    }
    case 'json-to-query-service': {
      // awsJson aimed at an awsQuery-only service: still an AWS error, never a crash.
      const coral = r.pick<ServiceName>(['autoscaling', 'elbv2', 'ec2']);
      const headers = { 'Content-Type': JSON_TYPE, 'X-Amz-Target': `AnyScale_${r.word(4)}.DescribeAutoScalingGroups`, ...signed(coral, r) };
      return { kind: `${kind}:${coral}`, service: coral, headers, body: r.pick(['{}', '{"AutoScalingGroupNames":[]}', '{']), routable: true };
    }
    default:
      throw new Error(`no fuzz case kind ${kind}`);
  }
}

/** Well-formed control requests, so one bad request is seen not to affect another. */
function validCase(r: Rng): FuzzCase {
  if (r.next() < 0.5) {
    return {
      kind: 'valid:DescribeAutoScalingGroups',
      service: 'autoscaling',
      headers: { 'Content-Type': FORM, ...signed('autoscaling', r) },
      body: form([['Action', 'DescribeAutoScalingGroups'], ['Version', '2011-01-01'], ['AutoScalingGroupNames.member.1', 'fuzz-web']]),
      routable: true,
      valid: true,
    };
  }
  return {
    kind: 'valid:DescribeAvailabilityZones',
    service: 'ec2',
    headers: { 'Content-Type': FORM, ...signed('ec2', r) },
    body: form([['Action', 'DescribeAvailabilityZones'], ['Version', '2016-11-15']]),
    routable: true,
    valid: true,
  };
}

const KINDS: [string, number][] = [
  ['bad-percent-encoding', 3],
  ['unknown-action', 3],
  ['missing-required', 4],
  ['wrong-type', 5],
  ['huge-list-index', 2],
  ['deeply-nested-keys', 2],
  ['random-bytes', 3],
  ['random-bytes-unsigned', 1],
  ['oversized-body', 0.12],
  ['oversized-json', 0.08],
  ['wrong-version', 2],
  ['unsigned-unroutable', 1],
  ['unsigned-missing-params', 1],
  ['cloudwatch-json-garbage', 3],
  ['cloudwatch-unknown-target', 1],
  ['json-to-query-service', 1],
];

function generate(seed: number, count: number): FuzzCase[] {
  const r = rng(seed);
  const total = KINDS.reduce((sum, [, w]) => sum + w, 0);
  const cases: FuzzCase[] = [];
  // Every kind at least once, then weighted picks; a control request every 16th.
  for (const [kind] of KINDS) cases.push(caseFor(kind, r));
  while (cases.length < count) {
    if (cases.length % 16 === 0) {
      cases.push(validCase(r));
      continue;
    }
    let x = r.next() * total;
    const kind = KINDS.find(([, w]) => (x -= w) < 0)?.[0] ?? 'wrong-type';
    cases.push(caseFor(kind, r));
  }
  return cases;
}

// ---------------------------------------------------------------------------
// Sending and judging.

interface Outcome {
  fuzz: FuzzCase;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  ms: number;
}

function send(endpoint: string, agent: Agent, fuzz: FuzzCase): Promise<Outcome> {
  const url = new URL(endpoint);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const body = typeof fuzz.body === 'string' ? Buffer.from(fuzz.body, 'utf8') : fuzz.body;
    const req = request(
      { host: url.hostname, port: url.port, path: '/', method: 'POST', agent, headers: { ...fuzz.headers, 'Content-Length': body.length }, timeout: PER_REQUEST_MS },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ fuzz, status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${PER_REQUEST_MS} ms to ${fuzz.kind}`)));
    req.on('error', (e) => reject(new Error(`${fuzz.kind}: ${e.message}`)));
    req.end(body);
  });
}

/** The error code in an AWS error document, or why the body is not one. */
function errorCode(body: string, json: boolean | undefined): { code?: string; problem?: string } {
  const text = body.trim();
  if (text.startsWith('<')) {
    if (json) return { problem: 'an awsJson request got an XML answer' };
    if (!/^<\?xml[^>]*>\s*<(ErrorResponse|Response)\b/.test(text) && !/^<(ErrorResponse|Response)\b/.test(text)) {
      return { problem: `XML root is not ErrorResponse/Response: ${text.slice(0, 80)}` };
    }
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    if (!/<Message>/.test(text)) return { problem: 'XML error without <Message>' };
    return code ? { code } : { problem: 'XML error without <Code>' };
  }
  try {
    const doc = JSON.parse(text) as Record<string, unknown>;
    const type = doc.__type;
    if (typeof type !== 'string' || !type) return { problem: `JSON without __type: ${text.slice(0, 80)}` };
    return { code: type.slice(type.lastIndexOf('#') + 1) };
  } catch {
    return { problem: `neither XML nor JSON: ${JSON.stringify(text.slice(0, 80))}` };
  }
}

/** awsQuery-compatible JSON errors carry the query code in x-amzn-query-error (`Code;Sender`). */
function jsonQueryCode(o: Outcome): string | undefined {
  const header = o.headers['x-amzn-query-error'];
  return typeof header === 'string' ? header.split(';')[0] : undefined;
}

// ---------------------------------------------------------------------------

let emu: RunningEmulator;
let asg: AutoScalingClient;
let ec2: EC2Client;
let outcomes: Outcome[] = [];
let loopMs = 0;
let callsBefore = 0;
let groupBefore: unknown;

before(async () => {
  emu = await startEmulator({ clock: new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0)), seed: 3 });
  const config = { endpoint: emu.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' }, maxAttempts: 1 };
  asg = new AutoScalingClient(config);
  ec2 = new EC2Client(config);
  // A group the garbage must leave alone.
  const image = (await ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }))).Images!.find((i) => i.Architecture === 'x86_64')!;
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'fuzz-web', LaunchTemplateData: { ImageId: image.ImageId, InstanceType: 't3.micro' } }));
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: 'fuzz-web',
      LaunchTemplate: { LaunchTemplateName: 'fuzz-web', Version: '$Latest' },
      MinSize: 1,
      MaxSize: 3,
      DesiredCapacity: 2,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
    }),
  );
  emu.advance(120_000);
  groupBefore = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['fuzz-web'] }))).AutoScalingGroups?.[0];
  callsBefore = emu.sim.history.entries.length;

  const cases = generate(SEED, CASES);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const started = performance.now();
  try {
    let next = 0;
    const results: Outcome[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < cases.length) results.push(await send(emu.endpoint, agent, cases[next++]!));
      }),
    );
    outcomes = results;
  } finally {
    loopMs = performance.now() - started;
    agent.destroy();
  }
});

after(async () => {
  asg?.destroy();
  ec2?.destroy();
  await emu?.close();
});

test(`${CASES} seeded malformed requests all get an AWS error document, in time`, () => {
  assert.equal(outcomes.length, CASES);
  assert.ok(loopMs < LOOP_BUDGET_MS, `the loop took ${Math.round(loopMs)} ms (budget ${LOOP_BUDGET_MS})`);
  const slowest = outcomes.reduce((a, b) => (a.ms > b.ms ? a : b));
  console.log(`fuzz: ${outcomes.length} requests in ${Math.round(loopMs)} ms; slowest ${Math.round(slowest.ms)} ms (${slowest.fuzz.kind.slice(0, 60)})`);
  const wrong: string[] = [];
  for (const o of outcomes.filter((x) => !x.fuzz.valid)) {
    const { code, problem } = errorCode(o.body, o.fuzz.json);
    if (o.status < 400 || o.status > 599) wrong.push(`${o.fuzz.kind}: HTTP ${o.status} ${o.body.slice(0, 120)}`);
    else if (problem) wrong.push(`${o.fuzz.kind}: HTTP ${o.status}, ${problem}`);
    else if (!o.headers['x-amzn-requestid']) wrong.push(`${o.fuzz.kind}: no x-amzn-RequestId header (${code})`);
    else if (o.ms > PER_REQUEST_MS) wrong.push(`${o.fuzz.kind}: answered after ${Math.round(o.ms)} ms`);
  }
  assert.deepEqual(wrong, [], `responses that are not AWS errors:\n  ${wrong.join('\n  ')}`);
  for (const kind of ['bad-percent-encoding', 'unknown-action', 'missing-required', 'wrong-type', 'oversized-body', 'cloudwatch-json-garbage']) {
    assert.ok(outcomes.some((o) => o.fuzz.kind.startsWith(kind)), `the loop covered ${kind}`);
  }
});

test('each malformed request gets the error code AWS gives for that mistake (E-22)', () => {
  const wrong: string[] = [];
  for (const o of outcomes.filter((x) => x.fuzz.expectCode && !x.fuzz.valid)) {
    const { code } = errorCode(o.body, o.fuzz.json);
    const effective = o.fuzz.json ? (jsonQueryCode(o) ?? code) : code;
    if (!effective || !o.fuzz.expectCode!.test(effective)) wrong.push(`${o.fuzz.kind}: got ${effective} (HTTP ${o.status}), expected ${o.fuzz.expectCode}`);
  }
  assert.deepEqual(wrong, [], `unexpected error codes:\n  ${wrong.join('\n  ')}`);
  const oversized = outcomes.filter((o) => o.fuzz.kind.startsWith('oversized'));
  assert.ok(oversized.length >= 2);
  for (const o of oversized) assert.ok(o.status >= 400 && o.status < 500, `${o.fuzz.kind}: a body over 1 MiB is the client's fault, got HTTP ${o.status}`);
});

test('no malformed request trips an internal error: every one is the client\'s fault (4xx)', () => {
  const faults = outcomes
    .filter((o) => !o.fuzz.valid && o.status >= 500)
    .map((o) => `${o.fuzz.kind}: HTTP ${o.status} ${errorCode(o.body, o.fuzz.json).code}: ${/<Message>([^<]*)</.exec(o.body)?.[1] ?? o.body.slice(0, 160)}`);
  assert.deepEqual(faults, [], `server faults for client mistakes:\n  ${faults.join('\n  ')}`);
});

test('well-formed requests interleaved with the garbage keep working', () => {
  const controls = outcomes.filter((o) => o.fuzz.valid);
  assert.ok(controls.length >= 10, `only ${controls.length} control requests`);
  for (const o of controls) {
    assert.equal(o.status, 200, `${o.fuzz.kind}: ${o.body.slice(0, 200)}`);
    const root = o.fuzz.kind.endsWith('DescribeAutoScalingGroups') ? '<DescribeAutoScalingGroupsResponse' : '<DescribeAvailabilityZonesResponse';
    assert.ok(o.body.includes(root), `${o.fuzz.kind}: ${o.body.slice(0, 200)}`);
  }
  assert.ok(controls.filter((o) => o.body.includes('<AutoScalingGroupName>fuzz-web</AutoScalingGroupName>')).length > 0);
});

test('afterwards the SDK still works, the group is untouched, and the history recorded every failure', async () => {
  const during = emu.sim.history.entries.slice(callsBefore).filter((e) => e.type === 'call');
  const failed = during.filter((e) => e.type === 'call' && !e.ok).length;
  const succeeded = during.filter((e) => e.type === 'call' && e.ok).length;
  const routable = outcomes.filter((o) => o.fuzz.routable && !o.fuzz.valid).length;
  const controls = outcomes.filter((o) => o.fuzz.valid).length;
  assert.equal(succeeded, controls, 'only the control requests succeeded');
  assert.ok(failed >= routable, `history has ${failed} failed calls, expected one for each of the ${routable} requests that name a service`);
  assert.ok(failed <= CASES - controls, `history has ${failed} failed calls for ${CASES - controls} malformed requests`);

  const group = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['fuzz-web'] }))).AutoScalingGroups?.[0];
  assert.deepEqual(group, groupBefore);
});
