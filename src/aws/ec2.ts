/**
 * The narrow EC2 client: instances, images, snapshots, launch templates and
 * tags, as asg-deploy uses them. Built by createAwsClients.
 */
import { randomUUID } from 'node:crypto';
import {
  CreateImageCommand,
  CreateLaunchTemplateVersionCommand,
  CreateTagsCommand,
  DeleteLaunchTemplateVersionsCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeSnapshotsCommand,
  ModifyLaunchTemplateCommand,
  type EC2Client,
  type Filter as Ec2Filter,
  type Image,
  type Instance as Ec2Instance,
  type LaunchTemplate,
  type LaunchTemplateVersion,
  type RequestLaunchTemplateData,
  type Snapshot,
} from '@aws-sdk/client-ec2';
import { AsgDeployError, isAsgDeployError } from '../core/errors.js';
import type { Caller } from './call.js';
import { chunk, collectPages } from './paginate.js';

/** A launch template by id or by name. */
export type LaunchTemplateKey = { id: string; name?: undefined } | { name: string; id?: undefined };

export interface CreateImageInput {
  instanceId: string;
  /** e.g. `web-20260101-120000` (deploys.md "bake"). */
  name: string;
  description?: string;
  /** Default true: no reboot of the source instance. */
  noReboot?: boolean;
  /** Tags for the image and its snapshots. */
  tags?: Readonly<Record<string, string>>;
}

export interface CreateLaunchTemplateVersionInput {
  template: LaunchTemplateKey;
  /** The version to copy; only the fields in `data` change. */
  sourceVersion?: string;
  data: RequestLaunchTemplateData;
  description?: string;
}

export interface DeleteVersionsResult {
  deleted: number[];
  failed: { version: number; code?: string; message?: string }[];
}

export interface Ec2Api {
  /**
   * DescribeInstances for these ids, 1000 per call; ids that no longer exist
   * are left out (not an error). Order is not guaranteed.
   */
  describeInstances(instanceIds: readonly string[]): Promise<Ec2Instance[]>;
  /** DescribeImages, all pages. */
  describeImages(query: { imageIds?: readonly string[]; owners?: readonly string[]; filters?: Ec2Filter[] }): Promise<Image[]>;
  /** CreateImage (NoReboot by default); returns the new image id. */
  createImage(input: CreateImageInput): Promise<string>;
  deregisterImage(imageId: string): Promise<void>;
  /** DescribeSnapshots, all pages. */
  describeSnapshots(query: { snapshotIds?: readonly string[]; ownerIds?: readonly string[]; filters?: Ec2Filter[] }): Promise<Snapshot[]>;
  deleteSnapshot(snapshotId: string): Promise<void>;
  /** DescribeLaunchTemplates, all pages. */
  describeLaunchTemplates(query?: { ids?: readonly string[]; names?: readonly string[]; filters?: Ec2Filter[] }): Promise<LaunchTemplate[]>;
  /** Versions by number or `$Latest`/`$Default`; all versions when `versions` is absent. */
  describeLaunchTemplateVersions(template: LaunchTemplateKey, versions?: readonly string[]): Promise<LaunchTemplateVersion[]>;
  /** Creates a version (with a client token, so a retry never creates two). */
  createLaunchTemplateVersion(input: CreateLaunchTemplateVersionInput): Promise<LaunchTemplateVersion>;
  /** Sets the template's default version. */
  modifyLaunchTemplate(template: LaunchTemplateKey, defaultVersion: string): Promise<void>;
  /** Deletes versions (200 per call), reporting per version what failed. */
  deleteLaunchTemplateVersions(template: LaunchTemplateKey, versions: readonly number[]): Promise<DeleteVersionsResult>;
  createTags(resourceIds: readonly string[], tags: Readonly<Record<string, string>>): Promise<void>;
  /**
   * DescribeInstances by filters only (`tag:Name`, `image-id`, `instance-state-name`…), all pages.
   * Unlike {@link describeInstances} it names no ids, so nothing is "not found": no match is an empty list.
   */
  findInstances(filters: Ec2Filter[]): Promise<Ec2Instance[]>;
  /**
   * The `$Latest` and/or `$Default` version of every launch template in the
   * region, in one paginated DescribeLaunchTemplateVersions that names no
   * template (the only versions AWS allows in that form).
   */
  describeLatestAndDefaultVersions(versions?: readonly ('$Latest' | '$Default')[]): Promise<LaunchTemplateVersion[]>;
}

const INSTANCE_IDS_PER_CALL = 1000;
const DELETE_VERSIONS_PER_CALL = 200;
const TAG_RESOURCES_PER_CALL = 1000;

function templateParams(template: LaunchTemplateKey): { LaunchTemplateId?: string; LaunchTemplateName?: string } {
  return template.id !== undefined ? { LaunchTemplateId: template.id } : { LaunchTemplateName: template.name };
}

function templateLabel(template: LaunchTemplateKey): string {
  return template.id ?? template.name ?? '?';
}

const tagList = (tags: Readonly<Record<string, string>>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export function createEc2Api(client: EC2Client, call: Caller): Ec2Api {
  const spec = (operation: string, idempotent: boolean, resource?: string) => ({
    service: 'ec2' as const,
    operation,
    idempotent,
    ...(resource === undefined ? {} : { resource }),
  });

  /** One batch; EC2 fails the whole call when an id is unknown, so drop the ids it names and ask again. */
  const describeBatch = async (ids: string[]): Promise<Ec2Instance[]> => {
    let remaining = ids;
    // Each round drops at least one id, so this ends.
    while (remaining.length > 0) {
      try {
        return await collectPages(async (token) => {
          const out = await call(spec('DescribeInstances', true), (abortSignal) =>
            client.send(new DescribeInstancesCommand({ InstanceIds: remaining, NextToken: token }), { abortSignal }),
          );
          return { items: (out.Reservations ?? []).flatMap((r) => r.Instances ?? []), next: out.NextToken };
        });
      } catch (e) {
        if (!isAsgDeployError(e) || e.details?.awsCode !== 'InvalidInstanceID.NotFound') throw e;
        const awsMessage = e.cause instanceof Error ? e.cause.message : e.message;
        const missing = new Set(awsMessage.match(/\bi-[0-9a-f]+\b/g) ?? []);
        const next = remaining.filter((id) => !missing.has(id));
        if (missing.size === 0 || next.length === remaining.length) throw e;
        remaining = next;
      }
    }
    return [];
  };

  return {
    async describeInstances(instanceIds) {
      const out: Ec2Instance[] = [];
      for (const ids of chunk([...new Set(instanceIds)], INSTANCE_IDS_PER_CALL)) out.push(...(await describeBatch(ids)));
      return out;
    },

    async describeImages(query) {
      return collectPages(async (token) => {
        const out = await call(spec('DescribeImages', true, query.imageIds?.join(', ')), (abortSignal) =>
          client.send(
            new DescribeImagesCommand({
              ImageIds: query.imageIds === undefined ? undefined : [...query.imageIds],
              Owners: query.owners === undefined ? undefined : [...query.owners],
              Filters: query.filters,
              // MaxResults cannot be combined with ImageIds.
              MaxResults: query.imageIds === undefined ? 1000 : undefined,
              NextToken: token,
            }),
            { abortSignal },
          ),
        );
        return { items: out.Images ?? [], next: out.NextToken };
      });
    },

    async createImage(input) {
      const tags = input.tags === undefined ? undefined : tagList(input.tags);
      const out = await call(spec('CreateImage', false, input.instanceId), (abortSignal) =>
        client.send(
          new CreateImageCommand({
            InstanceId: input.instanceId,
            Name: input.name,
            Description: input.description,
            NoReboot: input.noReboot ?? true,
            TagSpecifications:
              tags === undefined || tags.length === 0
                ? undefined
                : [
                    { ResourceType: 'image', Tags: tags },
                    { ResourceType: 'snapshot', Tags: tags },
                  ],
          }),
          { abortSignal },
        ),
      );
      if (out.ImageId === undefined) throw new AsgDeployError('INTERNAL', `ec2:CreateImage for ${input.instanceId} returned no image id`);
      return out.ImageId;
    },

    async deregisterImage(imageId) {
      await call(spec('DeregisterImage', false, imageId), (abortSignal) => client.send(new DeregisterImageCommand({ ImageId: imageId }), { abortSignal }));
    },

    async describeSnapshots(query) {
      return collectPages(async (token) => {
        const out = await call(spec('DescribeSnapshots', true, query.snapshotIds?.join(', ')), (abortSignal) =>
          client.send(
            new DescribeSnapshotsCommand({
              SnapshotIds: query.snapshotIds === undefined ? undefined : [...query.snapshotIds],
              OwnerIds: query.ownerIds === undefined ? undefined : [...query.ownerIds],
              Filters: query.filters,
              MaxResults: query.snapshotIds === undefined ? 1000 : undefined,
              NextToken: token,
            }),
            { abortSignal },
          ),
        );
        return { items: out.Snapshots ?? [], next: out.NextToken };
      });
    },

    async deleteSnapshot(snapshotId) {
      await call(spec('DeleteSnapshot', false, snapshotId), (abortSignal) => client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId }), { abortSignal }));
    },

    async describeLaunchTemplates(query = {}) {
      const byKey = query.ids !== undefined || query.names !== undefined;
      return collectPages(async (token) => {
        const out = await call(spec('DescribeLaunchTemplates', true, [...(query.ids ?? []), ...(query.names ?? [])].join(', ') || undefined), (abortSignal) =>
          client.send(
            new DescribeLaunchTemplatesCommand({
              LaunchTemplateIds: query.ids === undefined ? undefined : [...query.ids],
              LaunchTemplateNames: query.names === undefined ? undefined : [...query.names],
              Filters: query.filters,
              MaxResults: byKey ? undefined : 200,
              NextToken: token,
            }),
            { abortSignal },
          ),
        );
        return { items: out.LaunchTemplates ?? [], next: out.NextToken };
      });
    },

    async describeLaunchTemplateVersions(template, versions) {
      return collectPages(async (token) => {
        const out = await call(spec('DescribeLaunchTemplateVersions', true, templateLabel(template)), (abortSignal) =>
          client.send(
            new DescribeLaunchTemplateVersionsCommand({
              ...templateParams(template),
              Versions: versions === undefined ? undefined : [...versions],
              MaxResults: versions === undefined ? 200 : undefined,
              NextToken: token,
            }),
            { abortSignal },
          ),
        );
        return { items: out.LaunchTemplateVersions ?? [], next: out.NextToken };
      });
    },

    async createLaunchTemplateVersion(input) {
      // One token for every attempt: EC2 returns the same version instead of creating a second.
      const clientToken = randomUUID();
      const out = await call(spec('CreateLaunchTemplateVersion', true, templateLabel(input.template)), (abortSignal) =>
        client.send(
          new CreateLaunchTemplateVersionCommand({
            ...templateParams(input.template),
            ClientToken: clientToken,
            SourceVersion: input.sourceVersion,
            VersionDescription: input.description,
            LaunchTemplateData: input.data,
          }),
          { abortSignal },
        ),
      );
      if (out.LaunchTemplateVersion === undefined) {
        throw new AsgDeployError('INTERNAL', `ec2:CreateLaunchTemplateVersion for ${templateLabel(input.template)} returned no version`);
      }
      return out.LaunchTemplateVersion;
    },

    async modifyLaunchTemplate(template, defaultVersion) {
      await call(spec('ModifyLaunchTemplate', true, templateLabel(template)), (abortSignal) =>
        client.send(new ModifyLaunchTemplateCommand({ ...templateParams(template), DefaultVersion: defaultVersion }), { abortSignal }),
      );
    },

    async deleteLaunchTemplateVersions(template, versions) {
      const result: DeleteVersionsResult = { deleted: [], failed: [] };
      for (const batch of chunk(versions, DELETE_VERSIONS_PER_CALL)) {
        const out = await call(spec('DeleteLaunchTemplateVersions', false, templateLabel(template)), (abortSignal) =>
          client.send(new DeleteLaunchTemplateVersionsCommand({ ...templateParams(template), Versions: batch.map(String) }), { abortSignal }),
        );
        for (const ok of out.SuccessfullyDeletedLaunchTemplateVersions ?? []) if (ok.VersionNumber !== undefined) result.deleted.push(ok.VersionNumber);
        for (const bad of out.UnsuccessfullyDeletedLaunchTemplateVersions ?? []) {
          if (bad.VersionNumber === undefined) continue;
          result.failed.push({
            version: bad.VersionNumber,
            ...(bad.ResponseError?.Code === undefined ? {} : { code: bad.ResponseError.Code }),
            ...(bad.ResponseError?.Message === undefined ? {} : { message: bad.ResponseError.Message }),
          });
        }
      }
      return result;
    },

    async createTags(resourceIds, tags) {
      const list = tagList(tags);
      if (resourceIds.length === 0 || list.length === 0) return;
      for (const ids of chunk(resourceIds, TAG_RESOURCES_PER_CALL)) {
        await call(spec('CreateTags', true, ids.join(', ')), (abortSignal) => client.send(new CreateTagsCommand({ Resources: ids, Tags: list }), { abortSignal }));
      }
    },

    async findInstances(filters) {
      return collectPages(async (token) => {
        const out = await call(spec('DescribeInstances', true), (abortSignal) =>
          client.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, NextToken: token }), { abortSignal }),
        );
        return { items: (out.Reservations ?? []).flatMap((r) => r.Instances ?? []), next: out.NextToken };
      });
    },

    async describeLatestAndDefaultVersions(versions = ['$Latest', '$Default']) {
      return collectPages(async (token) => {
        const out = await call(spec('DescribeLaunchTemplateVersions', true, versions.join(', ')), (abortSignal) =>
          client.send(new DescribeLaunchTemplateVersionsCommand({ Versions: [...versions], MaxResults: 200, NextToken: token }), { abortSignal }),
        );
        return { items: out.LaunchTemplateVersions ?? [], next: out.NextToken };
      });
    },
  };
}
