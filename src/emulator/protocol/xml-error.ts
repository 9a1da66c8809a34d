import { AwsError } from '../aws-error.js';
import type { ServiceModel } from './model.js';
import { xmlText } from './xml-text.js';

export interface EncodedXmlError {
  readonly status: number;
  readonly body: string;
}

/**
 * Encode an error as the service answers it (docs/emulator.md "Wire").
 * Anything that is not an AwsError is our fault: HTTP 500 with the service's
 * internal-error code (`InternalError` for EC2, `InternalFailure` for the
 * awsQuery services), never a stack trace.
 *
 * awsQuery: `<ErrorResponse xmlns><Error><Type>Sender</Type><Code>…</Code>
 * <Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
 * ec2Query: `<Response><Errors><Error><Code>…</Code><Message>…</Message>
 * </Error></Errors><RequestID>…</RequestID></Response>`.
 *
 * @example
 * encodeXmlError(loadServiceModel('ec2'), new AwsError('InvalidInstanceID.NotFound', "The instance ID 'i-1' does not exist"), 'req-1')
 * // { status: 400, body: '<?xml …?>\n<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code>…' }
 */
export function encodeXmlError(model: ServiceModel, err: unknown, requestId: string): EncodedXmlError {
  const error = asAwsError(model, err);
  const code = xmlText(error.code);
  const message = xmlText(error.message);
  const id = xmlText(requestId);
  if (model.metadata.protocol === 'ec2') {
    return {
      status: error.status,
      body:
        '<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>' +
        `<Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>${id}</RequestID></Response>`,
    };
  }
  return {
    status: error.status,
    body:
      `<ErrorResponse xmlns="${model.metadata.xmlNamespace}"><Error><Type>${error.type}</Type>` +
      `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
  };
}

/** `err` if it is an AwsError, else the service's internal error (HTTP 500). */
export function asAwsError(model: ServiceModel, err: unknown): AwsError {
  if (AwsError.isAwsError(err)) return err;
  return model.metadata.protocol === 'ec2'
    ? new AwsError('InternalError', 'An internal error has occurred', 500)
    : new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500);
}
