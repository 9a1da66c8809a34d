/**
 * The one factory that builds AWS clients (architecture.md "Layout": aws/).
 * It reads the standard configuration (default credential chain and profiles,
 * region, endpoint), builds SDK v3 clients with the SDK's own retries off, and
 * returns narrow per-service interfaces whose calls retry on the injected
 * Clock (see retry.ts for why) and fail with AsgDeployErrors. Each SDK
 * client, and the credential chain, is loaded and built on the first call
 * that needs it (lazy-api.ts), so a command pays only for the services it uses.
 *
 * @example
 *   const aws = createAwsClients({ region: 'eu-west-1', profile: 'prod' });
 *   const fleet = await aws.snapshotFleet('web');
 *   await aws.autoscaling.setDesiredCapacity('web', 4);
 *   aws.destroy();
 */
import type { AutoScalingClient, AutoScalingClientConfig } from '@aws-sdk/client-auto-scaling';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { RealClock, type Clock } from '../clock/clock.js';
import type { Fleet } from '../core/fleet.js';
import type { AutoScalingApi } from './autoscaling.js';
import { createCaller, type AwsCallEvent, type Caller } from './call.js';
import type { CloudWatchApi } from './cloudwatch.js';
import { toAsgDeployError } from './classify.js';
import { AsgDeployError } from '../core/errors.js';
import { profileFiles, profileNames } from './profiles.js';
import type { Ec2Api } from './ec2.js';
import type { Elbv2Api } from './elbv2.js';
import { DEFAULT_BACKOFF, DEFAULT_MAX_ATTEMPTS } from './retry.js';
import { AUTOSCALING_METHODS, CLOUDWATCH_METHODS, EC2_METHODS, ELBV2_METHODS, PROVISION_METHODS, FLEET_COPY_METHODS, lazyApi } from './lazy-api.js';
import { snapshotFleet, type SnapshotOptions } from './fleet-snapshot.js';
import type { ProvisionApi } from './provision.js';
import type { FleetCopyApi } from './fleet-copy.js';

/** A credentials provider as the SDK's default chain is one. */
type AwsCredentialIdentityProvider = ReturnType<(typeof import('@aws-sdk/credential-providers'))['fromNodeProviderChain']>;

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

/**
 * The chain, after checking that the named profile exists: an unknown profile
 * fails with NO_CREDENTIALS (exit 5) naming it and the files searched, not
 * with the SDK's "Could not load credentials from any providers". Checked on
 * the first call, so building clients never touches the disk.
 */
function checkProfileFirst(profile: string, env: Readonly<Record<string, string | undefined>>, chain: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let checked = false;
  return async (identityProperties) => {
    if (!checked) {
      const known = profileNames(env);
      if (!known.includes(profile)) {
        const files = profileFiles(env);
        throw new AsgDeployError('NO_CREDENTIALS', `aws profile ${JSON.stringify(profile)} not found in ${files.config} or ${files.credentials}`, {
          hint: known.length > 0 ? `known profiles: ${known.join(', ')}; pass one with --profile or AWS_PROFILE` : 'create it with `aws configure --profile ' + profile + '`, or drop --profile / AWS_PROFILE',
          details: { profile, files },
        });
      }
      checked = true;
    }
    return chain(identityProperties);
  };
}

/** Creates `make()` once, on first use; `created()` is undefined until then. */
function once<T>(make: () => Promise<T>): { get(): Promise<T>; created(): T | undefined } {
  let promise: Promise<T> | undefined;
  let value: T | undefined;
  return {
    get: () => (promise ??= make().then((v) => (value = v))),
    created: () => value,
  };
}

export function createAwsClients(options: AwsClientsOptions = {}): AwsClients {
  silenceSdkNodeVersionWarning();
  const env = options.env ?? process.env;
  const clock = options.clock ?? new RealClock();
  const region = regionSetting(options.region, env);
  const endpoints = endpointSettings(options.endpoint, env);
  const profile = nonEmpty(options.profile);
  // One memoized chain shared by the clients: env, SSO, ini profile, process, web identity, ECS, IMDS.
  // Loaded with the first call that needs credentials.
  const chainOnce = once(async () => (await import('@aws-sdk/credential-providers')).fromNodeProviderChain(profile === undefined ? {} : { profile }));
  const chain: AwsCredentialIdentityProvider = async (identityProperties) => (await chainOnce.get())(identityProperties);
  const named = profile ?? nonEmpty(env.AWS_PROFILE);
  const credentials: AwsCredentials = options.credentials ?? (named === undefined ? chain : checkProfileFirst(named, env, chain));
  const base = {
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
    credentials,
    // Our retries (retry.ts) wait on the Clock; the SDK's would sleep in real time.
    maxAttempts: 1,
  };
  const at = (endpoint: string | undefined) => (endpoint === undefined ? {} : { endpoint });
  const asgClient = once(async () => new (await import('@aws-sdk/client-auto-scaling')).AutoScalingClient({ ...base, ...at(endpoints.autoscaling) }));
  const ec2Client = once(async () => new (await import('@aws-sdk/client-ec2')).EC2Client({ ...base, ...at(endpoints.ec2) }));
  const elbClient = once(async () => new (await import('@aws-sdk/client-elastic-load-balancing-v2')).ElasticLoadBalancingV2Client({ ...base, ...at(endpoints.elbv2) }));
  const cloudWatchClient = once(async () => new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient({ ...base, ...at(cloudWatchEndpoint(options.endpoint, env)) }));
  const call: Caller = createCaller({
    clock,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryBaseMs: options.retryBaseMs ?? DEFAULT_BACKOFF.baseMs,
    retryCapMs: options.retryCapMs ?? DEFAULT_BACKOFF.capMs,
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.onCall === undefined ? {} : { onCall: options.onCall }),
  });
  const autoscaling = lazyApi<AutoScalingApi>(AUTOSCALING_METHODS, async () => (await import('./autoscaling.js')).createAutoScalingApi(await asgClient.get(), call));
  const ec2 = lazyApi<Ec2Api>(EC2_METHODS, async () => (await import('./ec2.js')).createEc2Api(await ec2Client.get(), call));
  const elbv2 = lazyApi<Elbv2Api>(ELBV2_METHODS, async () => (await import('./elbv2.js')).createElbv2Api(await elbClient.get(), call));
  const cloudwatch = lazyApi<CloudWatchApi>(CLOUDWATCH_METHODS, async () => (await import('./cloudwatch.js')).createCloudWatchApi(await cloudWatchClient.get(), call));
  const provision = lazyApi<ProvisionApi>(PROVISION_METHODS, async () => {
    const [{ createProvisionApi }, a, e, l] = await Promise.all([import('./provision.js'), asgClient.get(), ec2Client.get(), elbClient.get()]);
    return createProvisionApi({ autoscaling: a, ec2: e, elbv2: l }, call);
  });
  const fleetCopy = lazyApi<FleetCopyApi>(FLEET_COPY_METHODS, async () => {
    const [{ createFleetCopyApi }, a, e, l] = await Promise.all([import('./fleet-copy.js'), asgClient.get(), ec2Client.get(), elbClient.get()]);
    return createFleetCopyApi({ autoscaling: a, ec2: e, elbv2: l }, call);
  });
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
        return await (await asgClient.get()).config.region();
      } catch (e) {
        throw toAsgDeployError(e, { service: 'autoscaling', operation: 'ResolveRegion' });
      }
    },
    destroy() {
      const clients: ({ destroy(): void } | undefined)[] = [asgClient.created(), ec2Client.created(), elbClient.created(), cloudWatchClient.created()];
      for (const client of clients) client?.destroy();
    },
  };
}
