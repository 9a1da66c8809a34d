import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServiceName } from './service-name.js';

/**
 * The trimmed service models `scripts/gen-models.py` writes from botocore's
 * `service-2.json`: only the emulator's operations, the shapes they reach and
 * the traits the codec reads. Field names are botocore's.
 */
export type ShapeType =
  | 'structure'
  | 'list'
  | 'map'
  | 'string'
  | 'integer'
  | 'long'
  | 'float'
  | 'double'
  | 'boolean'
  | 'timestamp'
  | 'blob';

/** A reference to a shape, with the member traits merged over the shape's own. */
export interface ShapeRef {
  readonly shape: string;
  /** Element name in XML; the query key too (capitalised for ec2Query input). */
  readonly locationName?: string;
  /** ec2Query input key, when it differs from the capitalised locationName. */
  readonly queryName?: string;
  readonly xmlName?: string;
  readonly flattened?: boolean;
  readonly timestampFormat?: string;
}

export interface Shape {
  readonly type: ShapeType;
  readonly members?: Readonly<Record<string, ShapeRef>>;
  readonly member?: ShapeRef;
  readonly key?: ShapeRef;
  readonly value?: ShapeRef;
  readonly required?: readonly string[];
  readonly locationName?: string;
  readonly xmlName?: string;
  readonly flattened?: boolean;
  readonly timestampFormat?: string;
  readonly union?: boolean;
  /** Kept for awsQuery services only (EC2's enums change too often to enforce). */
  readonly enum?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  readonly error?: { readonly code?: string; readonly httpStatusCode?: number; readonly senderFault?: boolean };
  readonly exception?: boolean;
}

export interface OperationModel {
  readonly input?: string;
  readonly output?: string;
  /** awsQuery: the element that wraps the output, `{Operation}Result`. */
  readonly resultWrapper?: string;
  readonly errors?: readonly string[];
}

export interface ServiceMetadata {
  readonly serviceName: ServiceName;
  /** `query` (awsQuery) or `ec2` (ec2Query). CloudWatch also speaks awsJson 1.0. */
  readonly protocol: 'query' | 'ec2';
  readonly apiVersion: string;
  readonly xmlNamespace: string;
  readonly endpointPrefix: string;
  readonly signingName: string;
  /** awsJson: the `X-Amz-Target` prefix, e.g. `GraniteServiceVersion20100801`. */
  readonly targetPrefix?: string;
  readonly jsonVersion?: string;
  readonly awsQueryCompatible?: boolean;
}

export interface ServiceModel {
  readonly metadata: ServiceMetadata;
  readonly operations: Readonly<Record<string, OperationModel>>;
  readonly shapes: Readonly<Record<string, Shape>>;
}

const MODELS_DIR = join('src', 'emulator', 'protocol', 'models');
const cache = new Map<ServiceName, ServiceModel>();

/**
 * The trimmed model of one service, read once and cached.
 *
 * tsc does not copy the JSON next to the compiled code, so the file is looked
 * up beside this module first (running from `src/`) and then under the
 * package root's `src/emulator/protocol/models/` (running from `dist/src/`).
 *
 * @example loadServiceModel('ec2').operations.DescribeInstances.output // 'DescribeInstancesResult'
 */
export function loadServiceModel(service: ServiceName): ServiceModel {
  const cached = cache.get(service);
  if (cached) return cached;
  const model = JSON.parse(readFileSync(modelPath(service), 'utf8')) as ServiceModel;
  cache.set(service, model);
  return model;
}

function modelPath(service: ServiceName): string {
  const file = `${service}.json`;
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'models', file);
  if (existsSync(beside)) return beside;
  for (let dir = here; ; ) {
    const candidate = join(dir, MODELS_DIR, file);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`service model ${file} not found: looked beside ${here} and under ${MODELS_DIR} of its parents; run scripts/gen-models.py`);
}
