import { codecModel, type CodecShape } from './codec-shape.js';
import type { ServiceModel } from './model.js';
import { xmlText } from './xml-text.js';

/** Content type of every awsQuery and ec2Query response. */
export const XML_CONTENT_TYPE = 'text/xml';

/** EC2 answers with the trailing slash its model's xmlNamespace lacks. */
export function ec2Namespace(model: ServiceModel): string {
  const ns = model.metadata.xmlNamespace;
  return ns.endsWith('/') ? ns : `${ns}/`;
}

/**
 * Encode an operation's output (SDK v3 output shape: PascalCase members,
 * `Date` timestamps, arrays; undefined and null members omitted, members the
 * model does not know ignored) as the service's XML response, driven by the
 * output shape (docs/emulator.md "Wire").
 *
 * awsQuery: `<OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata>…`,
 * lists as `<member>`; no Result element when the operation has no output
 * shape, `<OpResult/>` when its output is empty (ELBv2 RegisterTargets).
 * ec2Query: `<OpResponse xmlns><requestId>…</requestId>…`, elements named by
 * locationName (`reservationSet`, `instancesSet`), lists as `<item>`;
 * operations without output answer `<return>true</return>`, as EC2 does.
 *
 * @example
 * encodeXmlOutput(loadServiceModel('autoscaling'), 'SetDesiredCapacity', undefined, 'req-1')
 * // '<SetDesiredCapacityResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
 * //  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></SetDesiredCapacityResponse>'
 */
export function encodeXmlOutput(model: ServiceModel, operation: string, output: unknown, requestId: string): string {
  const op = Object.hasOwn(model.operations, operation) ? model.operations[operation] : undefined;
  if (!op) throw new Error(`${model.metadata.serviceName} has no operation ${operation}`);
  const { protocol } = model.metadata;
  const root = `${operation}Response`;
  const codec = codecModel(model, protocol);
  const body = op.output && isObject(output) ? structureBody(codec.shape(op.output), output) : '';
  if (protocol === 'ec2') {
    return (
      `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${ec2Namespace(model)}">` +
      `<requestId>${xmlText(requestId)}</requestId>${op.output ? body : '<return>true</return>'}</${root}>`
    );
  }
  let result = body;
  if (op.output && op.resultWrapper) {
    result = body ? `<${op.resultWrapper}>${body}</${op.resultWrapper}>` : `<${op.resultWrapper}/>`;
  }
  return (
    `<${root} xmlns="${model.metadata.xmlNamespace}">${result}` +
    `<ResponseMetadata><RequestId>${xmlText(requestId)}</RequestId></ResponseMetadata></${root}>`
  );
}

/** The elements of a structure's members, in model order. */
function structureBody(shape: CodecShape, value: object): string {
  const record = value as Record<string, unknown>;
  let xml = '';
  for (const member of shape.members) {
    const v = record[member.name];
    if (v === undefined || v === null) continue;
    xml += element(member.shape, v, member.openTag, member.closeTag);
  }
  return xml;
}

function element(shape: CodecShape, value: unknown, open: string, close: string): string {
  switch (shape.type) {
    case 'string':
      return open + xmlText(typeof value === 'string' ? value : String(value)) + close;
    case 'integer':
    case 'long':
    case 'float':
    case 'double':
      return open + String(value) + close;
    case 'boolean':
      return open + (value === true || value === 'true' ? 'true' : 'false') + close;
    case 'timestamp':
      return open + timestampText(value) + close;
    case 'blob':
      return open + (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : xmlText(String(value))) + close;
    case 'structure': {
      const body = structureBody(shape, value as object);
      return body ? open + body + close : selfClosing(open);
    }
    case 'list':
      return list(shape, value, open, close);
    case 'map':
      return map(shape, value, open, close);
  }
}

function list(shape: CodecShape, value: unknown, open: string, close: string): string {
  const items = Array.isArray(value) ? value : [value];
  const el = shape.member;
  if (!el) return '';
  if (shape.flattened) {
    // parsers.py: a flattened list is its elements, repeated under the member's name.
    let xml = '';
    for (const item of items) if (item !== undefined && item !== null) xml += element(el.shape, item, open, close);
    return xml;
  }
  if (items.length === 0) return selfClosing(open);
  let xml = open;
  for (const item of items) {
    if (item !== undefined && item !== null) xml += element(el.shape, item, el.openTag, el.closeTag);
  }
  return xml + close;
}

function map(shape: CodecShape, value: unknown, open: string, close: string): string {
  const { key, value: val } = shape;
  if (!key || !val) return '';
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  let xml = '';
  for (const [k, v] of entries) {
    if (v === undefined || v === null) continue;
    const pair = element(key.shape, k, key.openTag, key.closeTag) + element(val.shape, v, val.openTag, val.closeTag);
    xml += shape.flattened ? open + pair + close : `<entry>${pair}</entry>`;
  }
  if (shape.flattened) return xml;
  return xml ? open + xml + close : selfClosing(open);
}

/** RFC 3339 with milliseconds; a number is epoch milliseconds, a string is sent as is. */
function timestampText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  return xmlText(String(value));
}

function selfClosing(open: string): string {
  return `${open.slice(0, -1)}/>`;
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}
