import { AwsError } from '../aws-error.js';
import { codecModel, type CodecShape } from './codec-shape.js';
import { elementPath, entryPath, InputProblems, memberPath, ROOT_PATH, type InputPath } from './input-problems.js';
import type { ServiceModel } from './model.js';
import type { DecodedInput } from './query-input.js';
import { parseNumberText, parseTimestampText } from './scalar-text.js';
import { asAwsError } from './xml-error.js';

/**
 * CloudWatch's awsJson 1.0 flavour: what `@aws-sdk/client-cloudwatch` and
 * boto3 send today (docs/emulator.md "Wire"). POST `/` with
 * `X-Amz-Target: GraniteServiceVersion20100801.<Op>` and a JSON body whose
 * members are the model's member names; timestamps are epoch seconds.
 *
 * CloudWatch is `awsQueryCompatible`: its errors carry the awsQuery code in
 * an `x-amzn-query-error: Code;Sender` header, which both SDK v3
 * (ProtocolLib.setQueryCompatError) and botocore
 * (_do_query_compatible_error_parse) prefer over `__type`. AwsError codes are
 * therefore always the query codes (`ResourceNotFound`, `InvalidParameterValue`).
 */
export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';

/**
 * Decode an awsJson request into the operation's input.
 *
 * @example
 * decodeJsonInput(loadServiceModel('cloudwatch'), 'GraniteServiceVersion20100801.DeleteAlarms', '{"AlarmNames":["a"]}')
 * // { operation: 'DeleteAlarms', input: { AlarmNames: ['a'] } }
 */
export function decodeJsonInput(model: ServiceModel, target: string, body: string): DecodedInput {
  const { targetPrefix, apiVersion } = model.metadata;
  const dot = target.lastIndexOf('.');
  const prefix = target.slice(0, Math.max(dot, 0));
  const action = target.slice(dot + 1);
  const operation = Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
  if (!targetPrefix || prefix !== targetPrefix || !operation) {
    throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${apiVersion}`);
  }
  let document: unknown = {};
  if (body.trim()) {
    try {
      document = JSON.parse(body);
    } catch {
      throw new AwsError('SerializationException', 'the request body is not valid JSON');
    }
  }
  if (!operation.input) return { operation: action, input: {} };
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new AwsError('SerializationException', 'the request body must be a JSON object');
  }
  const problems = new InputProblems('json');
  const decoder = new JsonDecoder(problems);
  const input = decoder.structure(codecModel(model, 'json').shape(operation.input), document as Record<string, unknown>, ROOT_PATH);
  const error = problems.toError();
  if (error) throw error;
  return { operation: action, input };
}

class JsonDecoder {
  constructor(private readonly problems: InputProblems) {}

  structure(shape: CodecShape, value: Record<string, unknown>, path: InputPath): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const member of shape.members) {
      const raw = Object.hasOwn(value, member.name) ? value[member.name] : undefined;
      const childPath = memberPath(path, member);
      const decoded = raw === undefined || raw === null ? undefined : this.value(member.shape, raw, childPath);
      if (decoded === undefined) {
        if (member.required) this.problems.missing(childPath);
        continue;
      }
      out[member.name] = decoded;
    }
    return out;
  }

  private value(shape: CodecShape, raw: unknown, path: InputPath): unknown {
    switch (shape.type) {
      case 'structure':
        if (!isRecord(raw)) return this.wrong(path, raw, 'structure');
        return this.structure(shape, raw, path);
      case 'list': {
        if (!Array.isArray(raw)) return this.wrong(path, raw, 'list');
        const element = shape.member;
        const out: unknown[] = [];
        raw.forEach((item, i) => {
          const decoded = element && item !== null && item !== undefined ? this.value(element.shape, item, elementPath(path, i + 1, '')) : undefined;
          if (decoded !== undefined) out.push(decoded);
        });
        return this.checked(shape, out, path);
      }
      case 'map': {
        if (!isRecord(raw)) return this.wrong(path, raw, 'map');
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(raw)) {
          const decoded = shape.value && v !== null ? this.value(shape.value.shape, v, entryPath(path, k)) : undefined;
          if (decoded !== undefined) Object.defineProperty(out, k, { value: decoded, enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case 'string':
        return typeof raw === 'string' ? this.checked(shape, raw, path) : this.wrong(path, raw, 'string');
      case 'blob':
        return typeof raw === 'string' ? raw : this.wrong(path, raw, 'string');
      case 'integer':
      case 'long':
        return Number.isSafeInteger(raw) ? this.checked(shape, raw, path) : this.wrong(path, raw, 'integer');
      case 'float':
      case 'double': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? parseNumberText(raw) : undefined;
        return n === undefined ? this.wrong(path, raw, 'number') : this.checked(shape, n, path);
      }
      case 'boolean':
        return typeof raw === 'boolean' ? raw : this.wrong(path, raw, 'boolean');
      case 'timestamp': {
        const date =
          typeof raw === 'number' && Number.isFinite(raw) ? new Date(raw * 1000) : typeof raw === 'string' ? parseTimestampText(raw) : undefined;
        return date ?? this.wrong(path, raw, 'timestamp');
      }
    }
  }

  private wrong(path: InputPath, raw: unknown, expected: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'number' | 'boolean' | 'timestamp'): null {
    this.problems.wrongType(path, raw, expected);
    return null;
  }

  private checked<T>(shape: CodecShape, value: T, path: InputPath): T {
    this.problems.check(shape, value, path);
    return value;
  }
}

/**
 * Encode an operation's output as awsJson: the model's members only,
 * timestamps as epoch seconds, NaN and infinities as strings.
 *
 * @example
 * encodeJsonOutput(loadServiceModel('cloudwatch'), 'DescribeAlarms', { MetricAlarms: [] }) // '{"MetricAlarms":[]}'
 */
export function encodeJsonOutput(model: ServiceModel, operation: string, output: unknown): string {
  const op = Object.hasOwn(model.operations, operation) ? model.operations[operation] : undefined;
  if (!op) throw new Error(`${model.metadata.serviceName} has no operation ${operation}`);
  if (!op.output || output === null || typeof output !== 'object') return '{}';
  return JSON.stringify(jsonValue(codecModel(model, 'json').shape(op.output), output));
}

function jsonValue(shape: CodecShape, value: unknown): unknown {
  switch (shape.type) {
    case 'structure': {
      const record = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const member of shape.members) {
        const v = record[member.name];
        if (v !== undefined && v !== null) out[member.name] = jsonValue(member.shape, v);
      }
      return out;
    }
    case 'list': {
      const element = shape.member;
      const items = Array.isArray(value) ? value : [value];
      return element ? items.filter((v) => v !== undefined && v !== null).map((v) => jsonValue(element.shape, v)) : [];
    }
    case 'map': {
      const out: Record<string, unknown> = {};
      const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
      for (const [k, v] of entries) {
        if (v !== undefined && v !== null && shape.value) {
          Object.defineProperty(out, String(k), { value: jsonValue(shape.value.shape, v), enumerable: true, writable: true, configurable: true });
        }
      }
      return out;
    }
    case 'timestamp':
      if (value instanceof Date) return value.getTime() / 1000;
      if (typeof value === 'number') return value / 1000;
      return value;
    case 'float':
    case 'double':
      return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
    default:
      return value;
  }
}

export interface EncodedJsonError {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Encode an error as awsJson: `{"__type":"…","message":"…"}` where `__type`
 * is the model's error shape for the code (`InvalidParameterValueException`
 * for `InvalidParameterValue`) or the code itself, plus the query-compatible
 * `x-amzn-query-error` header. Non-AwsErrors become `InternalFailure` (500).
 *
 * @example
 * encodeJsonError(loadServiceModel('cloudwatch'), new AwsError('ResourceNotFound', 'no alarm a'), 'req-1')
 * // { status: 400, body: '{"__type":"ResourceNotFound","message":"no alarm a"}',
 * //   headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'req-1',
 * //              'x-amzn-query-error': 'ResourceNotFound;Sender' } }
 */
export function encodeJsonError(model: ServiceModel, err: unknown, requestId?: string): EncodedJsonError {
  const error = asAwsError(model, err);
  const headers: Record<string, string> = { 'content-type': JSON_CONTENT_TYPE };
  if (requestId !== undefined) headers['x-amzn-requestid'] = requestId;
  if (model.metadata.awsQueryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.type}`;
  return {
    status: error.status,
    body: JSON.stringify({ __type: errorShapeName(model, error.code), message: error.message }),
    headers,
  };
}

function errorShapeName(model: ServiceModel, code: string): string {
  // Several shapes can share a wire code (DashboardNotFoundError and
  // ResourceNotFound both say `ResourceNotFound`): the shape named after the code wins.
  if (model.shapes[code]?.exception) return code;
  for (const [name, shape] of Object.entries(model.shapes)) {
    if (shape.exception && (shape.error?.code ?? name) === code) return name;
  }
  return code;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
