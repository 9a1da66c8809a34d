/**
 * `--app NAME` in place of explicit flags: the group, defaults, region and
 * profile from asg-deploy.yaml. The inventory code (zod, yaml) is loaded only
 * when --app is given.
 */
import type { AppConfig } from '../config/index.js';
import { AsgDeployError } from '../core/index.js';
import type { AppFlags } from './flags.js';

export type { AppFlags } from './flags.js';

/** The app of `--app NAME` (from --config or ./asg-deploy.yaml); undefined without --app. */
export async function loadApp(flags: AppFlags, command: string): Promise<AppConfig | undefined> {
  if (flags.app === undefined) {
    if (flags.config !== undefined) {
      throw new AsgDeployError('BAD_INPUT', `--config ${flags.config} is only read with --app NAME`, { hint: `e.g. asg-deploy ${command} --app web --config ${flags.config}` });
    }
    return undefined;
  }
  const { loadInventory, resolveApp } = await import('../config/index.js');
  return resolveApp(await loadInventory({ file: flags.config }), flags.app);
}

/** The group from the argument or the app's `group`, and the app. */
export async function withInventory(groupArg: string | undefined, flags: AppFlags, command: string): Promise<{ group: string; app?: AppConfig }> {
  if (flags.app === undefined) {
    if (!groupArg) {
      throw new AsgDeployError('BAD_INPUT', `${command} needs a group name or --app NAME`, { hint: `e.g. \`asg-deploy ${command} web-asg\`; see \`asg-deploy ${command} --help\`` });
    }
    return { group: groupArg };
  }
  const app = (await loadApp(flags, command))!;
  const group = groupArg ?? app.group;
  if (!group) {
    throw new AsgDeployError('BAD_INPUT', `app ${app.name} in ${app.source.file} has no \`group\` for ${command}`, {
      hint: app.bluegreen ? `it is a blue/green pair; use \`asg-deploy bluegreen --app ${app.name}\`` : `add \`group: NAME\` under apps.${app.name}`,
    });
  }
  return { group, app };
}
