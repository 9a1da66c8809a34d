/**
 * A small catalogue of instance types: enough for DescribeInstanceTypes and to
 * check that an instance type and an AMI agree on the architecture. Types not
 * listed are still launchable when they look like an instance type (`family.size`),
 * with the architecture EC2's naming implies (a `g` after the generation digit
 * means Graviton, arm64).
 */
import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';

export interface InstanceTypeSpec {
  instanceType: string;
  architecture: 'x86_64' | 'arm64';
  vcpus: number;
  memoryMiB: number;
  burstable: boolean;
  freeTier: boolean;
  currentGeneration: boolean;
}

/** AWS's default when RunInstances names no type (and no template does). */
export const DEFAULT_INSTANCE_TYPE = 'm1.small';

function t(instanceType: string, architecture: 'x86_64' | 'arm64', vcpus: number, memoryMiB: number, extra: Partial<InstanceTypeSpec> = {}): InstanceTypeSpec {
  return { instanceType, architecture, vcpus, memoryMiB, burstable: false, freeTier: false, currentGeneration: true, ...extra };
}

const burst = { burstable: true };

export const INSTANCE_TYPES: readonly InstanceTypeSpec[] = [
  t('m1.small', 'x86_64', 1, 1740, { currentGeneration: false }),
  t('t2.nano', 'x86_64', 1, 512, burst),
  t('t2.micro', 'x86_64', 1, 1024, { ...burst, freeTier: true }),
  t('t2.small', 'x86_64', 1, 2048, burst),
  t('t2.medium', 'x86_64', 2, 4096, burst),
  t('t2.large', 'x86_64', 2, 8192, burst),
  t('t3.nano', 'x86_64', 2, 512, burst),
  t('t3.micro', 'x86_64', 2, 1024, { ...burst, freeTier: true }),
  t('t3.small', 'x86_64', 2, 2048, burst),
  t('t3.medium', 'x86_64', 2, 4096, burst),
  t('t3.large', 'x86_64', 2, 8192, burst),
  t('t3.xlarge', 'x86_64', 4, 16384, burst),
  t('t3a.micro', 'x86_64', 2, 1024, burst),
  t('t3a.small', 'x86_64', 2, 2048, burst),
  t('t3a.medium', 'x86_64', 2, 4096, burst),
  t('t4g.nano', 'arm64', 2, 512, burst),
  t('t4g.micro', 'arm64', 2, 1024, burst),
  t('t4g.small', 'arm64', 2, 2048, burst),
  t('t4g.medium', 'arm64', 2, 4096, burst),
  t('t4g.large', 'arm64', 2, 8192, burst),
  t('m5.large', 'x86_64', 2, 8192),
  t('m5.xlarge', 'x86_64', 4, 16384),
  t('m5.2xlarge', 'x86_64', 8, 32768),
  t('m6i.large', 'x86_64', 2, 8192),
  t('m6i.xlarge', 'x86_64', 4, 16384),
  t('m6g.large', 'arm64', 2, 8192),
  t('m6g.xlarge', 'arm64', 4, 16384),
  t('m7i.large', 'x86_64', 2, 8192),
  t('m7g.large', 'arm64', 2, 8192),
  t('c5.large', 'x86_64', 2, 4096),
  t('c5.xlarge', 'x86_64', 4, 8192),
  t('c6i.large', 'x86_64', 2, 4096),
  t('c6g.large', 'arm64', 2, 4096),
  t('c7g.large', 'arm64', 2, 4096),
  t('r5.large', 'x86_64', 2, 16384),
  t('r6g.large', 'arm64', 2, 16384),
];

const BY_NAME = new Map(INSTANCE_TYPES.map((s) => [s.instanceType, s]));

const INSTANCE_TYPE_SHAPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** The type's spec: from the catalogue, or inferred from its name; undefined if it is not an instance type name. */
export function instanceTypeSpec(instanceType: string): InstanceTypeSpec | undefined {
  const known = BY_NAME.get(instanceType);
  if (known) return known;
  if (!INSTANCE_TYPE_SHAPE.test(instanceType)) return undefined;
  const family = instanceType.split('.')[0]!;
  const arm = /^[a-z]+\d+[a-z]*g[a-z]*$/.test(family) && !/^(g|p)\d/.test(family);
  return t(instanceType, arm ? 'arm64' : 'x86_64', 2, 4096);
}

export function isCatalogued(instanceType: string): boolean {
  return BY_NAME.has(instanceType);
}

/** The `InstanceTypeInfo` output for one type. */
export function renderInstanceType(spec: InstanceTypeSpec): InstanceTypeInfo {
  const arm = spec.architecture === 'arm64';
  const threads = arm || spec.vcpus < 2 ? 1 : 2;
  const cores = Math.max(1, spec.vcpus / threads);
  return {
    InstanceType: spec.instanceType as InstanceTypeInfo['InstanceType'],
    CurrentGeneration: spec.currentGeneration,
    FreeTierEligible: spec.freeTier,
    SupportedUsageClasses: ['on-demand', 'spot'],
    SupportedRootDeviceTypes: ['ebs'],
    SupportedVirtualizationTypes: ['hvm'],
    BareMetal: false,
    Hypervisor: 'nitro',
    ProcessorInfo: {
      SupportedArchitectures: [spec.architecture],
      SustainedClockSpeedInGhz: arm ? 2.5 : 3.1,
      Manufacturer: arm ? 'AWS' : 'Intel',
    },
    VCpuInfo: { DefaultVCpus: spec.vcpus, DefaultCores: cores, DefaultThreadsPerCore: threads, ValidCores: [cores], ValidThreadsPerCore: arm ? [1] : [1, threads] },
    MemoryInfo: { SizeInMiB: spec.memoryMiB },
    InstanceStorageSupported: false,
    EbsInfo: {
      EbsOptimizedSupport: 'default',
      EncryptionSupport: 'supported',
      NvmeSupport: 'required',
      EbsOptimizedInfo: { BaselineBandwidthInMbps: 87 * spec.vcpus, BaselineThroughputInMBps: 10.875 * spec.vcpus, BaselineIops: 500 * spec.vcpus, MaximumBandwidthInMbps: 2085, MaximumThroughputInMBps: 260.625, MaximumIops: 11800 },
      MaximumEbsAttachments: 27,
      AttachmentLimitType: 'shared',
    },
    NetworkInfo: {
      NetworkPerformance: 'Up to 5 Gigabit',
      MaximumNetworkInterfaces: 3,
      MaximumNetworkCards: 1,
      DefaultNetworkCardIndex: 0,
      NetworkCards: [{ NetworkCardIndex: 0, NetworkPerformance: 'Up to 5 Gigabit', MaximumNetworkInterfaces: 3, BaselineBandwidthInGbps: 0.5, PeakBandwidthInGbps: 5 }],
      Ipv4AddressesPerInterface: 6,
      Ipv6AddressesPerInterface: 6,
      Ipv6Supported: true,
      EnaSupport: 'required',
      EfaSupported: false,
      EncryptionInTransitSupported: false,
      EnaSrdSupported: false,
    },
    NitroEnclavesSupport: 'unsupported',
    NitroTpmSupport: 'supported',
    NitroTpmInfo: { SupportedVersions: ['2.0'] },
    PhcSupport: 'unsupported',
    PlacementGroupInfo: { SupportedStrategies: ['partition', 'spread'] },
    HibernationSupported: false,
    BurstablePerformanceSupported: spec.burstable,
    DedicatedHostsSupported: false,
    AutoRecoverySupported: true,
    SupportedBootModes: spec.architecture === 'arm64' ? ['uefi'] : ['legacy-bios', 'uefi'],
  };
}
