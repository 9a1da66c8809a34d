/**
 * Waiting for a new image to become `available` (seed 001: launches from it
 * fail until then; E-12). As smithy's waiters do it: a pure check of one
 * DescribeImages answer (success, retry or failure) and one poller on the
 * injected Clock that emits progress.
 *
 * @example
 *   const image = await waitForImage(ctx, 'ami-0123456789abcdef0', { timeoutMs: 30 * 60_000 });
 */
import type { Image } from '../aws/index.js';
import { AsgDeployError, formatDuration, isAsgDeployError } from '../core/index.js';
import { DEFAULT_IMAGE_POLL_MS, type BakeContext } from './context.js';

/** AWS keeps an image `pending` for minutes (more for big volumes); the default wait. */
export const DEFAULT_IMAGE_WAIT_MS = 60 * 60_000;

/**
 * DescribeImages is eventually consistent: right after CreateImage the new id
 * may be "not found" for a while. For this long a missing image means "ask again".
 */
export const NOT_YET_VISIBLE_MS = 2 * 60_000;

/**
 * One answer's verdict. States: https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Image.html
 * (`pending` and `transient` will change; `available` is the goal; the rest never get there).
 */
export type ImageCheck = { kind: 'success' } | { kind: 'retry' } | { kind: 'failure'; state: string; reason: string };

export function checkImage(image: Image | undefined, msSinceRequest: number): ImageCheck {
  if (image === undefined) {
    return msSinceRequest < NOT_YET_VISIBLE_MS ? { kind: 'retry' } : { kind: 'failure', state: 'missing', reason: 'the image no longer exists (deregistered?)' };
  }
  switch (image.State) {
    case 'available':
      return { kind: 'success' };
    case 'pending':
    case 'transient':
    case undefined:
      return { kind: 'retry' };
    default:
      return {
        kind: 'failure',
        state: image.State,
        reason: image.StateReason?.Message || image.StateReason?.Code || `the image is ${image.State}`,
      };
  }
}

/** The image's EBS snapshot ids, in device order. */
export function snapshotIdsOf(image: Image | undefined): string[] {
  return (image?.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
}

export interface WaitForImageOptions {
  timeoutMs?: number;
  /** Clock time of the CreateImage call (default: now); elapsed seconds count from it. */
  requestedAt?: number;
}

async function describeOne(ctx: BakeContext, imageId: string): Promise<Image | undefined> {
  try {
    return (await ctx.aws.ec2.describeImages({ imageIds: [imageId] }))[0];
  } catch (e) {
    if (isAsgDeployError(e, 'NOT_FOUND')) return undefined;
    throw e;
  }
}

/** The lowest progress of the image's snapshots (`"45%"`), when AWS reports one; never fails the wait. */
async function snapshotProgress(ctx: BakeContext, snapshotIds: readonly string[]): Promise<string | undefined> {
  if (snapshotIds.length === 0) return undefined;
  try {
    const snapshots = await ctx.aws.ec2.describeSnapshots({ snapshotIds });
    const values = snapshots.map((s) => Number.parseInt(s.Progress ?? '', 10)).filter(Number.isFinite);
    return values.length === 0 ? undefined : `${Math.min(...values)}%`;
  } catch (e) {
    if (isAsgDeployError(e) && e.code !== 'INTERRUPTED') return undefined;
    throw e;
  }
}

/**
 * Polls until the image is `available` and returns it. Emits `image-pending`
 * on every poll, then `image-available` or `image-failed`. Throws
 * AWS_ERROR when the image fails, TIMEOUT after `timeoutMs`, INTERRUPTED on
 * the context's signal; in each case the message says what is left behind.
 */
export async function waitForImage(ctx: BakeContext, imageId: string, options: WaitForImageOptions = {}): Promise<Image> {
  const requestedAt = options.requestedAt ?? ctx.clock.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_IMAGE_WAIT_MS;
  const pollMs = ctx.pollIntervalMs ?? DEFAULT_IMAGE_POLL_MS;
  const seconds = () => Math.round((ctx.clock.now() - requestedAt) / 1000);
  for (;;) {
    const image = await describeOne(ctx, imageId);
    const check = checkImage(image, ctx.clock.now() - requestedAt);
    if (check.kind === 'success') {
      ctx.emit({ t: ctx.clock.now(), code: 'image-available', imageId, seconds: seconds(), snapshotIds: snapshotIdsOf(image) });
      return image!;
    }
    if (check.kind === 'failure') {
      ctx.emit({ t: ctx.clock.now(), code: 'image-failed', imageId, state: check.state, reason: check.reason });
      throw new AsgDeployError('AWS_ERROR', `image ${imageId} failed (${check.state}): ${check.reason}`, {
        hint: 'the launch template was not changed; look at the source instance (disk, state), then bake again',
        details: { imageId, state: check.state },
      });
    }
    const progress = await snapshotProgress(ctx, snapshotIdsOf(image));
    ctx.emit({ t: ctx.clock.now(), code: 'image-pending', imageId, seconds: seconds(), ...(progress === undefined ? {} : { snapshotProgress: progress }) });
    const left = requestedAt + timeoutMs - ctx.clock.now();
    if (left <= 0) {
      throw new AsgDeployError('TIMEOUT', `image ${imageId} is still pending after ${formatDuration(timeoutMs)}`, {
        hint: `it may still become available (\`aws ec2 describe-images --image-ids ${imageId}\`); the launch template was not changed. Wait longer with --wait-timeout, or deploy it later with \`roll GROUP --image ${imageId}\``,
        details: { imageId },
      });
    }
    try {
      await ctx.clock.sleep(Math.min(pollMs, left), ctx.signal);
    } catch (e) {
      throw new AsgDeployError('INTERRUPTED', `interrupted while image ${imageId} was pending; AWS keeps creating it`, {
        hint: `the launch template was not changed; when it is available, deploy it with \`roll GROUP --image ${imageId}\` or prune it`,
        details: { imageId },
        cause: e,
      });
    }
  }
}
