/**
 * The one factory that builds AWS clients (architecture.md "Layout": aws/).
 * It reads the standard configuration (default credential chain and profiles,
 * region, endpoint), builds SDK v3 clients with the SDK's own retries off, and
 * returns narrow per-service interfaces whose calls retry on the injected
 * Clock (see retry.ts for why) and fail with AsgDeployErrors.
 *
 * @example
 *   const aws = createAwsClients({ region: 'eu-west-1', profile: 'prod' });
 *   const fleet = await aws.snapshotFleet('web');
 *   await aws.autoscaling.setDesiredCapacity('web', 4);
 *   aws.destroy();
 */
import { AutoScalingClient, type AutoScalingClientConfig } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, type CloudWatchClientConfig } from '@aws-sdk/client-cloudwatch';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { RealClock, type Clock } from '../clock/clock.js';
import type { Fleet } from '../core/fleet.js';
import { createAutoScalingApi, type AutoScalingApi } from './autoscaling.js';
import { createCaller, type AwsCallEvent } from './call.js';
import { createCloudWatchApi, type CloudWatchApi } from './cloudwatch.js';
import { toAsgDeployError } from './classify.js';
import { createEc2Api, type Ec2Api } from './ec2.js';
import { createElbv2Api, type Elbv2Api } from './elbv2.js';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS } from './retry.js';
import { snapshotFleet, type SnapshotOptions } from './fleet-snapshot.js';
import { createProvisionApi, type ProvisionApi } from './provision.js';
import { createFleetCopyApi, type FleetCopyApi } from './fleet-copy.js';

/** Credentials as the SDK takes them: a fixed identity or a provider. */
export type AwsCredentials = NonNullable<AutoScalingClientConfig['credentials']>;

export interface AwsClientsOptions {
  /** Else AWS_REGION, AWS_DEFAULT_REGION, then the profile's region (the SDK reads it). */
  region?: string;
  /** A profile of ~/.aws/config and ~/.aws/credentials; else AWS_PROFILE, else `default`. */
  profile?: string;
  /** One endpoint for every service (e.g. the local emulator); else AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL. */
  endpoint?: string;
  /** What retries wait on. Default: the real clock. */
  clock?: Clock;
  /** Attempts per call, including the first. Default 8. */
  maxAttempts?: number;
  /** First backoff window in ms (full jitter, doubling). Default 200. */
  retryBaseMs?: number;
  /** Longest backoff window in ms. Default 20 000. */
  retryCapMs?: number;
  /** Instead of the default credential chain (tests, the demo). */
  credentials?: AwsCredentials;
  /** For deterministic backoff in tests. Default Math.random. */
  random?: () => number;
  /** Aborts every call and every backoff wait (Ctrl-C). */
  signal?: AbortSignal;
  /** Sees every attempt of every call (events, metrics, tests). */
  onCall?: (event: AwsCallEvent) => void;
  /** The environment to read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface AwsEndpoints {
  autoscaling?: string;
  ec2?: string;
  elbv2?: string;
}

export interface AwsClients {
  /** The region from the option or the environment; undefined when the SDK will take it from the profile. */
  readonly region: string | undefined;
  /** Endpoint overrides in effect (empty for real AWS). */
  readonly endpoints: AwsEndpoints;
  readonly autoscaling: AutoScalingApi;
  readonly ec2: Ec2Api;
  readonly elbv2: Elbv2Api;
  /** Alarms only: what moving scaling policies between groups needs. */
  readonly cloudwatch: CloudWatchApi;
  /** Creating infrastructure (the demo, rehearsals); deploys never use it. */
  readonly provision: ProvisionApi;
  /** Reading a live fleet's whole shape and building a copy of it in an emulator (`rehearse`). */
  readonly fleetCopy: FleetCopyApi;
  /** The group, its instances and the target health of all its target groups, in 1 + (number of target groups) calls. */
  snapshotFleet(groupName: string, options?: SnapshotOptions): Promise<Fleet>;
  /** The region the clients will use (option, environment, profile, instance metadata); AsgDeployError NO_REGION when none. */
  resolveRegion(): Promise<string>;
  /** Closes the clients' sockets. */
  destroy(): void;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** Region from the option, then AWS_REGION, then AWS_DEFAULT_REGION (which the JS SDK itself ignores). */
export function regionSetting(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return nonEmpty(option) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
}

/**
 * Endpoint per service: the option, else the service-specific variable
 * (AWS_ENDPOINT_URL_AUTO_SCALING, AWS_ENDPOINT_URL_EC2,
 * AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2), else AWS_ENDPOINT_URL — the
 * order the SDK itself uses ("Service-specific endpoints", AWS SDKs and Tools
 * reference guide). The SDK (3.1169) reads these variables too; we pass them
 * explicitly so the tool behaves the same on any SDK version and can show
 * which endpoint it talks to. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns
 * the variables off (not the option).
 */
export function endpointSettings(option: string | undefined, env: Readonly<Record<string, string | undefined>>): AwsEndpoints {
  const explicit = nonEmpty(option);
  const ignoreEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true';
  const pick = (serviceVariable: string) => explicit ?? (ignoreEnv ? undefined : (nonEmpty(env[serviceVariable]) ?? nonEmpty(env.AWS_ENDPOINT_URL)));
  const endpoints: AwsEndpoints = {};
  const autoscaling = pick('AWS_ENDPOINT_URL_AUTO_SCALING');
  const ec2 = pick('AWS_ENDPOINT_URL_EC2');
  const elbv2 = pick('AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2');
  if (autoscaling !== undefined) endpoints.autoscaling = autoscaling;
  if (ec2 !== undefined) endpoints.ec2 = ec2;
  if (elbv2 !== undefined) endpoints.elbv2 = elbv2;
  return endpoints;
}

/**
 * CloudWatch's endpoint, by the same rule (the option, AWS_ENDPOINT_URL_CLOUDWATCH,
 * AWS_ENDPOINT_URL). Kept out of {@link AwsEndpoints}: only blue/green policy
 * moves call CloudWatch.
 */
export function cloudWatchEndpoint(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  const explicit = nonEmpty(option);
  if (explicit !== undefined) return explicit;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.trim().toLowerCase() === 'true') return undefined;
  return nonEmpty(env.AWS_ENDPOINT_URL_CLOUDWATCH) ?? nonEmpty(env.AWS_ENDPOINT_URL);
}

/**
 * The SDK prints a multi-line NodeVersionSupportWarning on Node < 22 when the
 * first client is built (architecture.md "Node 20 and the SDK"). We turn it
 * off unless the user set the variable; the CLI can tell users once with
 * {@link nodeSupportNote}.
 */
export function silenceSdkNodeVersionWarning(env: Record<string, string | undefined> = process.env): void {
  if (env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

/** One line for `--version` on Node < 22, else undefined. */
export function nodeSupportNote(nodeVersion: string = process.version): string | undefined {
  const major = Number(/^v?(\d+)/.exec(nodeVersion)?.[1]);
  if (!(major < 22)) return undefined;
  return `note: node ${nodeVersion} works, but AWS SDK releases after early 2027 need node >= 22`;
}

export function createAwsClients(options: AwsClientsOptions = {}): AwsClients {
  silenceSdkNodeVersionWarning();
  const env = options.env ?? process.env;
  const clock = options.clock ?? new RealClock();
  const region = regionSetting(options.region, env);
  const endpoints = endpointSettings(options.endpoint, env);
  const profile = nonEmpty(options.profile);
  // One memoized chain shared by the three clients: env, SSO, ini profile, process, web identity, ECS, IMDS.
  const credentials = options.credentials ?? fromNodeProviderChain(profile === undefined ? {} : { profile });
  const base = {
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
    credentials,
    // Our retries (retry.ts) wait on the Clock; the SDK's would sleep in real time.
    maxAttempts: 1,
  };
  const asgClient = new AutoScalingClient({ ...base, ...(endpoints.autoscaling === undefined ? {} : { endpoint: endpoints.autoscaling }) });
  const ec2Client = new EC2Client({ ...base, ...(endpoints.ec2 === undefined ? {} : { endpoint: endpoints.ec2 }) });
  const elbClient = new ElasticLoadBalancingV2Client({ ...base, ...(endpoints.elbv2 === undefined ? {} : { endpoint: endpoints.elbv2 }) });
  const cloudWatchAt = cloudWatchEndpoint(options.endpoint, env);
  const cloudWatchClient = new CloudWatchClient({
    ...base,
    credentials: credentials as CloudWatchClientConfig['credentials'],
    ...(cloudWatchAt === undefined ? {} : { endpoint: cloudWatchAt }),
  });
  const call = createCaller({
    clock,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryBaseMs: options.retryBaseMs ?? DEFAULT_BACKOFF.baseMs,
    retryCapMs: options.retryCapMs ?? DEFAULT_BACKOFF.capMs,
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onCall === undefined ? {} : { onCall: options.onCall }),
  });
  const autoscaling = createAutoScalingApi(asgClient, call);
  const ec2 = createEc2Api(ec2Client, call);
  const elbv2 = createElbv2Api(elbClient, call);
  const cloudwatch = createCloudWatchApi(cloudWatchClient, call);
  const provision = createProvisionApi({ autoscaling: asgClient, ec2: ec2Client, elbv2: elbClient }, call);
  const fleetCopy = createFleetCopyApi({ autoscaling: asgClient, ec2: ec2Client, elbv2: elbClient }, call);
  return {
    region,
    endpoints,
    autoscaling,
    ec2,
    elbv2,
    cloudwatch,
    provision,
    fleetCopy,
    snapshotFleet: (groupName, snapshotOptions) => snapshotFleet({ autoscaling, ec2, elbv2 }, clock, groupName, snapshotOptions),
    async resolveRegion() {
      try {
        return await asgClient.config.region();
      } catch (e) {
        throw toAsgDeployError(e, { service: 'autoscaling', operation: 'ResolveRegion' });
      }
    },
    destroy() {
      asgClient.destroy();
      ec2Client.destroy();
      elbClient.destroy();
      cloudWatchClient.destroy();
    },
  };
}
