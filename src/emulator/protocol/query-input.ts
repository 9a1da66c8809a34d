import { AwsError } from '../aws-error.js';
import { codecModel, type CodecProtocol, type CodecShape } from './codec-shape.js';
import { elementPath, entryPath, InputProblems, memberPath, ROOT_PATH, type InputPath } from './input-problems.js';
import type { ServiceModel } from './model.js';
import { parseBooleanText, parseIntegerText, parseNumberText, parseTimestampText } from './scalar-text.js';

/** An operation name and its input, shaped like the SDK v3 input type. */
export interface DecodedInput {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/**
 * Decode an awsQuery or ec2Query form body into the operation's input,
 * driven by the input shape (docs/emulator.md "Wire", E-22).
 *
 * awsQuery lists arrive as `X.member.N` (an empty list as `X=`), maps as
 * `X.entry.N.key`/`.value`, structures as `A.B`; ec2Query lists as `X.N`
 * under the capitalised locationName (`InstanceId.1`, `Filter.1.Value.2`).
 * Parameters the model does not know are ignored, as AWS ignores them.
 *
 * @example
 * decodeQueryInput(loadServiceModel('ec2'), new URLSearchParams(
 *   'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&Filter.1.Name=instance-state-name&Filter.1.Value.1=running'))
 * // { operation: 'DescribeInstances',
 * //   input: { InstanceIds: ['i-1'], Filters: [{ Name: 'instance-state-name', Values: ['running'] }] } }
 */
export function decodeQueryInput(model: ServiceModel, params: URLSearchParams): DecodedInput {
  const { protocol, apiVersion } = model.metadata;
  const action = params.get('Action') ?? '';
  const version = params.get('Version') ?? apiVersion;
  const operation = Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
  if (!operation || version !== apiVersion && protocol !== 'ec2') {
    throw invalidAction(protocol, action, version);
  }
  if (!operation.input) return { operation: action, input: {} };
  const codec = codecModel(model, protocol);
  const problems = new InputProblems(protocol, model.metadata.serviceName);
  const decoder = new QueryDecoder(protocol, problems);
  const input = decoder.structure(codec.shape(operation.input), paramTree(params), ROOT_PATH);
  const error = problems.toError();
  if (error) throw error;
  return { operation: action, input };
}

/**
 * AWS's answers to an unknown action: EC2 "The action X is not valid for this
 * web service."; the Coral (awsQuery) services "Could not find operation X
 * for version Y".
 */
function invalidAction(protocol: 'query' | 'ec2', action: string, version: string): AwsError {
  if (protocol === 'ec2') {
    if (!action) return new AwsError('MissingAction', 'The request must contain the parameter Action');
    return new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
  }
  if (!action) return new AwsError('MissingAction', 'Missing Action');
  return new AwsError('InvalidAction', `Could not find operation ${action} for version ${version}`);
}

/** The form's keys split on `.` into a tree: `Filter.1.Name=x` → Filter → 1 → Name = x. */
interface ParamNode {
  value: string | undefined;
  children: Map<string, ParamNode> | undefined;
}

function paramTree(params: URLSearchParams): ParamNode {
  const root: ParamNode = { value: undefined, children: undefined };
  for (const [key, value] of params) {
    let node = root;
    let start = 0;
    for (;;) {
      const dot = key.indexOf('.', start);
      const segment = dot === -1 ? key.slice(start) : key.slice(start, dot);
      node.children ??= new Map();
      let child = node.children.get(segment);
      if (!child) {
        child = { value: undefined, children: undefined };
        node.children.set(segment, child);
      }
      node = child;
      if (dot === -1) break;
      start = dot + 1;
    }
    // The first occurrence wins, as URLSearchParams.get does.
    node.value ??= value;
  }
  return root;
}

/** The children of `node` keyed `1`, `2`, … in numeric order (sparse indexes close up). */
function indexed(node: ParamNode | undefined): Array<[number, ParamNode]> {
  if (!node?.children) return [];
  const items: Array<[number, ParamNode]> = [];
  for (const [key, child] of node.children) {
    const index = parseIntegerText(key);
    if (index !== undefined && index >= 1) items.push([index, child]);
  }
  return items.sort((a, b) => a[0] - b[0]);
}

class QueryDecoder {
  constructor(
    private readonly protocol: CodecProtocol,
    private readonly problems: InputProblems,
  ) {}

  structure(shape: CodecShape, node: ParamNode, path: InputPath): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const member of shape.members) {
      const child = node.children?.get(member.queryKey);
      const childPath = memberPath(path, member);
      const value = child === undefined ? undefined : this.value(member.shape, child, childPath);
      if (value === undefined) {
        if (member.required) this.problems.missing(childPath);
        continue;
      }
      out[member.name] = value;
    }
    return out;
  }

  /** A decoded value, or undefined when the node carries none (treated as absent). */
  value(shape: CodecShape, node: ParamNode, path: InputPath): unknown {
    switch (shape.type) {
      case 'structure':
        if (!node.children && node.value === undefined) return undefined;
        return this.structure(shape, node, path);
      case 'list':
        return this.checked(shape, this.list(shape, node, path), path);
      case 'map':
        return this.map(shape, node, path);
      default:
        return node.value === undefined ? undefined : this.scalar(shape, node.value, path);
    }
  }

  private list(shape: CodecShape, node: ParamNode, path: InputPath): unknown[] {
    const element = shape.member;
    if (!element) return [];
    // ec2Query (and flattened awsQuery) lists number their elements directly
    // under the member's key; awsQuery nests them under `member`. `X=` with
    // no elements is how awsQuery sends an empty list.
    const flat = this.protocol === 'ec2' || shape.flattened;
    const items = indexed(flat ? node : node.children?.get(element.queryKey));
    const wireKey = flat ? '' : `${element.queryKey}.`;
    const out: unknown[] = [];
    for (const [index, child] of items) {
      const value = this.value(element.shape, child, elementPath(path, index, wireKey));
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  private map(shape: CodecShape, node: ParamNode, path: InputPath): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const { key, value } = shape;
    if (!key || !value) return out;
    const entries = indexed(shape.flattened ? node : node.children?.get('entry'));
    for (const [, entry] of entries) {
      const name = entry.children?.get(key.queryKey)?.value;
      if (name === undefined) continue;
      const valueNode = entry.children?.get(value.queryKey);
      const decoded = valueNode && this.value(value.shape, valueNode, entryPath(path, name));
      // defineProperty: a key named `__proto__` is data, not a prototype.
      if (decoded !== undefined) Object.defineProperty(out, name, { value: decoded, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  private scalar(shape: CodecShape, text: string, path: InputPath): unknown {
    switch (shape.type) {
      case 'integer':
      case 'long':
        return this.checked(shape, this.parsed(parseIntegerText(text), text, path, 'integer'), path);
      case 'float':
      case 'double':
        return this.checked(shape, this.parsed(parseNumberText(text), text, path, 'number'), path);
      case 'boolean':
        return this.parsed(parseBooleanText(text), text, path, 'boolean');
      case 'timestamp':
        return this.parsed(parseTimestampText(text), text, path, 'timestamp');
      default:
        // string, and blob (kept as the base64 text the client sent).
        return this.checked(shape, text, path);
    }
  }

  /** A parse that failed is a problem, but the member still counts as present. */
  private parsed<T>(value: T | undefined, text: string, path: InputPath, expected: 'integer' | 'number' | 'boolean' | 'timestamp'): T | null {
    if (value !== undefined) return value;
    this.problems.wrongType(path, text, expected);
    return null;
  }

  private checked<T>(shape: CodecShape, value: T, path: InputPath): T {
    if (value !== null) this.problems.check(shape, value, path);
    return value;
  }
}
