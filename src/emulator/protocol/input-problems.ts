import { AwsError, validationError } from '../aws-error.js';
import type { CodecMember, CodecProtocol, CodecShape } from './codec-shape.js';

/**
 * Where a value sits in the input, named two ways: Coral's validation path
 * (`tags.1.member.key`, the awsQuery and awsJson services' wording) and the
 * wire key (`Filter.1.Name`, what EC2 names in its messages).
 */
export interface InputPath {
  readonly coral: string;
  readonly wire: string;
}

export const ROOT_PATH: InputPath = { coral: '', wire: '' };

export function memberPath(parent: InputPath, member: CodecMember): InputPath {
  return {
    coral: parent.coral ? `${parent.coral}.${member.pathName}` : member.pathName,
    wire: parent.wire ? `${parent.wire}.${member.queryKey}` : member.queryKey,
  };
}

/** Path of the `index`-th (1-based) element of a list: Coral says `instanceIds.1.member`. */
export function elementPath(parent: InputPath, index: number, wireKey: string): InputPath {
  return { coral: `${parent.coral}.${index}.member`, wire: `${parent.wire}.${wireKey}${index}` };
}

export function entryPath(parent: InputPath, key: string): InputPath {
  return { coral: `${parent.coral}.${key}`, wire: `${parent.wire}.${key}` };
}

export type ExpectedType = 'integer' | 'number' | 'boolean' | 'timestamp' | 'string' | 'list' | 'map' | 'structure';

/**
 * The problems found while decoding one request (E-22), reported the way each
 * protocol's service does:
 * - awsQuery/awsJson (Coral): one `ValidationError` listing them all,
 *   "2 validation errors detected: Value null at 'minSize' failed to satisfy
 *   constraint: Member must not be null; …".
 * - ec2Query: the first one, `MissingParameter` "The request must contain the
 *   parameter ImageId" or `InvalidParameterValue` "Invalid value 'x' for MaxResults.".
 */
export class InputProblems {
  private readonly coral: string[] = [];
  private ec2: AwsError | undefined;

  constructor(
    private readonly protocol: CodecProtocol,
    /** The service whose model the shapes come from (its own patterns apply). */
    private readonly service?: string,
  ) {}

  missing(path: InputPath): void {
    if (this.protocol === 'ec2') {
      this.ec2 ??= new AwsError('MissingParameter', `The request must contain the parameter ${path.wire}`);
    } else {
      this.coral.push(`Value null at '${path.coral}' failed to satisfy constraint: Member must not be null`);
    }
  }

  wrongType(path: InputPath, raw: unknown, expected: ExpectedType): void {
    if (this.protocol === 'ec2') {
      this.ec2 ??= new AwsError('InvalidParameterValue', `Invalid value '${display(raw)}' for ${path.wire}. Expected: ${expected}.`);
    } else {
      this.coral.push(`Value '${display(raw)}' at '${path.coral}' failed to satisfy constraint: Member must be ${article(expected)} ${expected}`);
    }
  }

  /** Enum, length, range and XML-character constraints; EC2's are not enforced (its model keeps none). */
  check(shape: CodecShape, value: unknown, path: InputPath): void {
    if (this.protocol === 'ec2') return;
    if (this.service === 'autoscaling' && typeof value === 'string' && XML_CHAR_SHAPES.has(shape.name) && !XML_CHARS.test(value)) {
      // A NUL (or any other control character) in a group name (E-44).
      this.violation(value, path, `Member must satisfy regular expression pattern: ${XML_CHAR_PATTERN}`);
    }
    const { enumValues, min, max } = shape;
    if (enumValues === undefined && min === undefined && max === undefined) return;
    if (typeof value === 'string') {
      if (enumValues && !enumValues.has(value)) {
        this.violation(value, path, `Member must satisfy enum value set: ${shape.enumText}`);
      }
      this.range(value, path, value.length, 'length', min, max);
    } else if (typeof value === 'number') {
      this.range(value, path, value, 'value', min, max);
    } else if (Array.isArray(value)) {
      this.range(value, path, value.length, 'length', min, max);
    }
  }

  /** The error to answer with, if anything was wrong. */
  toError(): AwsError | undefined {
    if (this.protocol === 'ec2') return this.ec2;
    const n = this.coral.length;
    if (n === 0) return undefined;
    return validationError(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.coral.join('; ')}`);
  }

  private range(value: unknown, path: InputPath, measure: number, what: 'length' | 'value', min?: number, max?: number): void {
    if (min !== undefined && measure < min) {
      this.violation(value, path, `Member must have ${what} greater than or equal to ${min}`);
    }
    if (max !== undefined && measure > max) {
      this.violation(value, path, `Member must have ${what} less than or equal to ${max}`);
    }
  }

  private violation(value: unknown, path: InputPath, constraint: string): void {
    this.coral.push(`Value '${display(value)}' at '${path.coral}' failed to satisfy constraint: ${constraint}`);
  }
}

/**
 * Auto Scaling's string shapes carry the pattern of XML 1.0's characters
 * (botocore 1.43 `autoscaling/2011-01-01/service-2.json`: `XmlString`,
 * `XmlStringMaxLen255` (group names), `ResourceName`, `TagKey`, … all have
 * `"pattern": "[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*"`).
 * The trimmed models keep no patterns, so the shapes are named here; AWS's
 * Coral answers a violation with ValidationError "Member must satisfy regular
 * expression pattern: …".
 */
export const XML_CHAR_PATTERN = '[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\r\\n\\t]*';
const XML_CHARS = /^[\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}\r\n\t]*$/u;
const XML_CHAR_SHAPES: ReadonlySet<string> = new Set([
  'NotificationTargetResourceName',
  'ResourceName',
  'TagKey',
  'TagValue',
  'UpdatePlacementGroupParam',
  'XmlString',
  'XmlStringMaxLen1023',
  'XmlStringMaxLen1600',
  'XmlStringMaxLen19',
  'XmlStringMaxLen2047',
  'XmlStringMaxLen255',
  'XmlStringMaxLen32',
  'XmlStringMaxLen5000',
  'XmlStringMaxLen511',
  'XmlStringMaxLen64',
  'XmlStringMetricLabel',
  'XmlStringMetricStat',
  'XmlStringUserData',
]);

function display(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(display).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}
