/**
 * Whether a named profile exists in the shared config and credentials files,
 * so an unknown `--profile` / AWS_PROFILE fails naming the profile and the
 * files instead of the SDK's "Could not load credentials from any providers".
 *
 * Per "Shared config and credentials files" (AWS SDKs and Tools Reference
 * Guide, https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html):
 * the config file (AWS_CONFIG_FILE, default ~/.aws/config) names profiles
 * `[profile NAME]`, except `[default]`; the credentials file
 * (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials) names them `[NAME]`.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

export interface ProfileFiles {
  config: string;
  credentials: string;
}

export function profileFiles(env: Env): ProfileFiles {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  return {
    config: env.AWS_CONFIG_FILE?.trim() || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE?.trim() || path.join(home, '.aws', 'credentials'),
  };
}

function sections(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return [...text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)].map((m) => m[1]!.replace(/\s+/g, ' '));
}

/** The profiles defined in the two files, in order, without duplicates. */
export function profileNames(env: Env): string[] {
  const files = profileFiles(env);
  const names = new Set<string>();
  for (const s of sections(files.config)) {
    if (s === 'default') names.add('default');
    else if (s.startsWith('profile ')) names.add(s.slice('profile '.length).trim());
  }
  for (const s of sections(files.credentials)) names.add(s);
  return [...names];
}
