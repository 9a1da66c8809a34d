/**
 * How long a live fleet takes to launch, from what AWS keeps: the group's
 * scaling activities. A launch activity ("Launching a new EC2 instance: i-…")
 * runs from the launch request until the instance is InService (after any
 * launch lifecycle hook), so its duration is the fleet's boot-to-InService time
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/as-verify-scaling-activity.html).
 * Pure: the rehearsal (src/rehearse/) feeds it DescribeScalingActivities.
 *
 * @example
 *   bootSecondsFromActivities([{ description: 'Launching a new EC2 instance: i-1', statusCode: 'Successful', startTime: 0, endTime: 41_000 }])
 *   // { seconds: 41, samples: 1 }
 */

/** The fields of a scaling activity these functions read (epoch ms). */
export interface ActivitySample {
  description?: string;
  statusCode?: string;
  statusMessage?: string;
  startTime?: number;
  endTime?: number;
  /** AWS's Details JSON, e.g. `{"Subnet ID":"subnet-1","Availability Zone":"us-east-1a"}`. */
  details?: string;
}

const LAUNCH = /^Launching a new EC2 instance/;

/** Median boot-to-InService seconds of the successful launches, or undefined when there are none. */
export function bootSecondsFromActivities(activities: readonly ActivitySample[]): { seconds: number; samples: number } | undefined {
  const durations = activities
    .filter((a) => a.statusCode === 'Successful' && LAUNCH.test(a.description ?? '') && a.startTime !== undefined && a.endTime !== undefined)
    .map((a) => (a.endTime! - a.startTime!) / 1000)
    .filter((s) => s >= 0)
    .sort((a, b) => a - b);
  if (durations.length === 0) return undefined;
  const mid = Math.floor(durations.length / 2);
  const median = durations.length % 2 === 1 ? durations[mid]! : (durations[mid - 1]! + durations[mid]!) / 2;
  return { seconds: Math.round(median), samples: durations.length };
}

/** A launch that failed in one AZ, with AWS's reason. */
export interface LaunchFailure {
  availabilityZone: string;
  reason: string;
  at: number;
}

/** The launches that failed (`Failed`/`Cancelled`) since `since`, with the AZ from the activity's Details. */
export function launchFailuresSince(activities: readonly ActivitySample[], since: number): LaunchFailure[] {
  const failures: LaunchFailure[] = [];
  for (const a of activities) {
    if (!(a.statusCode === 'Failed' || a.statusCode === 'Cancelled')) continue;
    if (!LAUNCH.test(a.description ?? '')) continue;
    const at = a.startTime ?? 0;
    if (at < since) continue;
    failures.push({ availabilityZone: availabilityZoneOf(a.details) ?? 'unknown AZ', reason: a.statusMessage ?? a.statusCode, at });
  }
  return failures;
}

function availabilityZoneOf(details: string | undefined): string | undefined {
  if (!details) return undefined;
  try {
    const parsed = JSON.parse(details) as Record<string, unknown>;
    const az = parsed['Availability Zone'];
    return typeof az === 'string' ? az : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Seconds from InService until a target group calls an instance healthy: the
 * application's own start-up (which AWS does not record: `appReadySeconds`, an
 * assumption the rehearsal states) plus HealthyThresholdCount passing checks,
 * one every HealthCheckIntervalSeconds
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
 */
export function readySeconds(healthCheck: { intervalSeconds: number; healthyThresholdCount: number }, appReadySeconds: number): number {
  return appReadySeconds + healthCheck.intervalSeconds * healthCheck.healthyThresholdCount;
}
