import type { AwsClients } from '../aws/index.js';
import type { Clock } from '../clock/index.js';
import type { BakeEventSink } from './events.js';

/** What bake and prune are given: AWS, time, where events go, and how to be stopped. */
export interface BakeContext {
  aws: AwsClients;
  clock: Clock;
  emit: BakeEventSink;
  /** Ctrl-C: stops a wait for an image (the image itself keeps being created by AWS). */
  signal?: AbortSignal;
  /** Between polls of a pending image. Default 10 s of the injected clock. */
  pollIntervalMs?: number;
}

export const DEFAULT_IMAGE_POLL_MS = 10_000;
