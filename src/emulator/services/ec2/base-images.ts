/**
 * The public images every region starts with (E-19: "a few base images owned
 * by amazon"), `available` from the start, each with its root snapshot. Their
 * ids are stable per region, like real AMI ids; find them as on AWS with
 * `DescribeImages` `Owners=amazon` and a `name` filter.
 */
import type { RegionState } from '../../world.js';
import { stableEc2Id } from './ids.js';

/** The account that owns Amazon Linux images (alias `amazon`). */
export const AMAZON_ACCOUNT_ID = '137112412989';
/** Canonical, which publishes the Ubuntu images. */
export const CANONICAL_ACCOUNT_ID = '099720109477';

interface BaseImage {
  key: string;
  name: string;
  description: string;
  architecture: 'x86_64' | 'arm64';
  ownerId: string;
  ownerAlias?: string;
  rootDeviceName: string;
  volumeSize: number;
  creationDate: string;
}

export const BASE_IMAGES: readonly BaseImage[] = [
  {
    key: 'al2023-x86_64',
    name: 'al2023-ami-2023.6.20250115.0-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.6.20250115.0 x86_64 HVM kernel-6.1',
    architecture: 'x86_64',
    ownerId: AMAZON_ACCOUNT_ID,
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
    volumeSize: 8,
    creationDate: '2025-01-15T19:42:10.000Z',
  },
  {
    key: 'al2023-arm64',
    name: 'al2023-ami-2023.6.20250115.0-kernel-6.1-arm64',
    description: 'Amazon Linux 2023 AMI 2023.6.20250115.0 arm64 HVM kernel-6.1',
    architecture: 'arm64',
    ownerId: AMAZON_ACCOUNT_ID,
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
    volumeSize: 8,
    creationDate: '2025-01-15T19:42:12.000Z',
  },
  {
    key: 'amzn2-x86_64',
    name: 'amzn2-ami-kernel-5.10-hvm-2.0.20250115.0-x86_64-gp2',
    description: 'Amazon Linux 2 Kernel 5.10 AMI 2.0.20250115.0 x86_64 HVM gp2',
    architecture: 'x86_64',
    ownerId: AMAZON_ACCOUNT_ID,
    ownerAlias: 'amazon',
    rootDeviceName: '/dev/xvda',
    volumeSize: 8,
    creationDate: '2025-01-16T08:10:31.000Z',
  },
  {
    key: 'ubuntu-24.04-amd64',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250115',
    description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    architecture: 'x86_64',
    ownerId: CANONICAL_ACCOUNT_ID,
    rootDeviceName: '/dev/sda1',
    volumeSize: 8,
    creationDate: '2025-01-15T06:20:05.000Z',
  },
];

export function seedBaseImages(region: RegionState): void {
  const ec2 = region.ec2;
  for (const base of BASE_IMAGES) {
    const imageId = stableEc2Id('ami', region.region, base.key);
    const snapshotId = stableEc2Id('snap', region.region, base.key);
    const created = Date.parse(base.creationDate);
    ec2.snapshots.set(snapshotId, {
      snapshotId,
      volumeId: 'vol-ffffffff',
      volumeSize: base.volumeSize,
      ownerId: base.ownerId,
      ownerAlias: base.ownerAlias,
      description: `Copied for DestinationAmi ${imageId}`,
      state: 'completed',
      startTime: created,
      completionTime: created,
      encrypted: false,
      tags: new Map(),
    });
    ec2.images.set(imageId, {
      imageId,
      name: base.name,
      description: base.description,
      ownerId: base.ownerId,
      ownerAlias: base.ownerAlias,
      state: 'available',
      creationDate: created,
      architecture: base.architecture,
      rootDeviceName: base.rootDeviceName,
      virtualizationType: 'hvm',
      platformDetails: 'Linux/UNIX',
      blockDeviceMappings: [
        { DeviceName: base.rootDeviceName, Ebs: { SnapshotId: snapshotId, VolumeSize: base.volumeSize, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: false } },
      ],
      tags: new Map(),
      public: true,
    });
  }
}
