/**
 * An error the emulator answers with, in AWS's own words.
 *
 * Handlers throw it; the protocol layer renders it as awsQuery
 * (`<ErrorResponse>`) or ec2Query (`<Response><Errors>`) — see
 * docs/emulator.md "Wire". `status` is 400 for the caller's faults
 * (`type: 'Sender'`) and 5xx for ours (`type: 'Receiver'`).
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: 'Sender' | 'Receiver';

  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.type = status >= 500 ? 'Receiver' : 'Sender';
  }

  static isAwsError(e: unknown): e is AwsError {
    return e instanceof AwsError;
  }
}

/** `ValidationError` — awsQuery services' catch-all for bad input (E-4, E-22). */
export function validationError(message: string): AwsError {
  return new AwsError('ValidationError', message);
}
