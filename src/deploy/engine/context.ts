import type { AwsClients } from '../../aws/index.js';
import type { Clock } from '../../clock/index.js';
import type { EventSink } from '../events.js';
import type { LockHolder } from './lock-holder.js';

/** What every deploy operation is given: AWS, time, where events go, and how to be stopped. */
export interface DeployContext {
  aws: AwsClients;
  clock: Clock;
  emit: EventSink;
  /** Ctrl-C: the engine stops at the next safe point and leaves the record for resume/abort. */
  signal?: AbortSignal;
  /** Who holds the lock (host:pid); shown to a second deploy that is refused. */
  owner: string;
  /** Host, pid and process start time written into the lock (default: this process). */
  holder?: LockHolder;
  /** Between fleet snapshots. Default 5 s (of the injected clock). */
  pollIntervalMs?: number;
}

export const DEFAULT_POLL_INTERVAL_MS = 5_000;
