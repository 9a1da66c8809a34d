/**
 * The emulator's protocol layer: AWS's wire formats, driven by the service
 * shapes botocore ships (trimmed by scripts/gen-models.py). One decoder and
 * one encoder per protocol, no per-operation templates. See
 * docs/emulator.md "Wire".
 *
 * @example
 * const ec2 = loadServiceModel('ec2');
 * const { operation, input } = decodeQueryInput(ec2, new URLSearchParams(body));
 * const xml = encodeXmlOutput(ec2, operation, await handle(operation, input), requestId);
 */
export { loadServiceModel } from './model.js';
export type { OperationModel, ServiceMetadata, ServiceModel, Shape, ShapeRef, ShapeType } from './model.js';
export { SERVICE_NAMES, isServiceName, serviceFromApiVersion, serviceFromSigningName } from './service-name.js';
export type { ServiceName } from './service-name.js';
export { decodeQueryInput } from './query-input.js';
export type { DecodedInput } from './query-input.js';
export { XML_CONTENT_TYPE, encodeXmlOutput } from './xml-output.js';
export { asAwsError, encodeXmlError } from './xml-error.js';
export type { EncodedXmlError } from './xml-error.js';
export { JSON_CONTENT_TYPE, decodeJsonInput, encodeJsonError, encodeJsonOutput } from './json-codec.js';
export type { EncodedJsonError } from './json-codec.js';
