/**
 * What a baked image is called and how it is tagged (deploys.md "Bake and
 * prune", seed 001): `APP-YYYYMMDD-HHMMSS` in UTC, and tags that say whose it
 * is (`app`, which prune selects by), where it came from and when.
 *
 * @example
 *   defaultImageName('web', Date.UTC(2026, 0, 2, 3, 4, 5)) // 'web-20260102-030405'
 *   parseTagAssignment('team=web', '--tag')                 // ['team', 'web']
 */
import { AsgDeployError } from '../core/index.js';

/** The tags bake always writes (they win over `--tag` and config tags of the same key). */
export const BAKE_TAGS = {
  /** The app the image belongs to; prune selects images by it. Plain `app`, as seed 001 and the demo tag them. */
  app: 'app',
  sourceInstance: 'asg-deploy:source-instance',
  /** ISO 8601, from the tool's clock. */
  createdAt: 'asg-deploy:created-at',
  /** The launch template the image was baked for. */
  launchTemplate: 'asg-deploy:launch-template',
} as const;

/**
 * AMI names: 3–128 of letters, digits, ( ) [ ] space . / - ' @ _
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html, Name).
 */
export const IMAGE_NAME = /^[A-Za-z0-9()[\] ./'@_-]{3,128}$/;

/** `-YYYYMMDD-HHMMSS`, the suffix bake appends to the prefix. */
const STAMP = /-\d{8}-\d{6}$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `PREFIX-YYYYMMDD-HHMMSS` for `now` in UTC. */
export function defaultImageName(prefix: string, now: number): string {
  const d = new Date(now);
  return `${prefix}-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** Whether `name` is what bake names an image of `prefix` by default (prefix, then exactly the timestamp). */
export function isBakedName(name: string, prefix: string): boolean {
  return name.startsWith(`${prefix}-`) && STAMP.test(name) && name.length === prefix.length + 16;
}

/** Throws BAD_INPUT naming the value unless AWS would accept it as an AMI name. */
export function checkImageName(name: string, what = '--name'): string {
  if (!IMAGE_NAME.test(name)) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(name)}: an image name is 3 to 128 letters, digits, spaces and ( ) [ ] . / - ' @ _`, {
      hint: 'e.g. web-20260101-120000 (the default is APP-YYYYMMDD-HHMMSS)',
      details: { value: name },
    });
  }
  return name;
}

/** Tag limits of EC2 (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions). */
export function checkTag(key: string, value: string, what = '--tag'): void {
  const shown = `${key}=${value}`;
  if (key.length === 0 || key.length > 128) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(shown)}: a tag key is 1 to 128 characters`, { details: { value: shown } });
  }
  if (key.toLowerCase().startsWith('aws:')) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(shown)}: keys starting with aws: are reserved by AWS; choose another key`, {
      details: { value: shown },
    });
  }
  if (value.length > 256) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(shown)}: a tag value is at most 256 characters`, { details: { value: shown } });
  }
}

/** `KEY=VALUE` → [key, value] (the value may be empty or hold more `=`); BAD_INPUT naming the text otherwise. */
export function parseTagAssignment(text: string, what = '--tag'): [string, string] {
  const i = text.indexOf('=');
  if (i <= 0) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(text)}: expected KEY=VALUE`, {
      hint: `e.g. ${what} git-sha=3f2c1a9 (repeat ${what} for more tags)`,
      details: { value: text },
    });
  }
  const key = text.slice(0, i).trim();
  const value = text.slice(i + 1).trim();
  checkTag(key, value, what);
  return [key, value];
}

/**
 * The image's tags: extra tags (config, then flags), then bake's own, which
 * win. EC2 allows 50 tags per resource.
 */
export function bakeTags(
  extra: Readonly<Record<string, string>>,
  own: { app: string; instanceId: string; createdAt: number; templateId: string },
): Record<string, string> {
  const tags: Record<string, string> = {
    ...extra,
    [BAKE_TAGS.app]: own.app,
    [BAKE_TAGS.sourceInstance]: own.instanceId,
    [BAKE_TAGS.createdAt]: new Date(own.createdAt).toISOString(),
    [BAKE_TAGS.launchTemplate]: own.templateId,
  };
  for (const [key, value] of Object.entries(extra)) checkTag(key, value, 'image tag');
  if (Object.keys(tags).length > 50) {
    throw new AsgDeployError('BAD_INPUT', `too many image tags (${Object.keys(tags).length}): EC2 allows 50 per image, and bake adds 4 of its own`, {
      hint: 'drop some --tag flags or image.tags in the config',
    });
  }
  return tags;
}
