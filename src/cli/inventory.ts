/** `--app NAME` in place of explicit flags: the group (and defaults) from asg-deploy.yaml. */
import { loadInventory, resolveApp, type AppConfig } from '../config/index.js';
import { AsgDeployError } from '../core/index.js';

export interface AppFlags {
  app?: string;
  config?: string;
}

export async function withInventory(groupArg: string | undefined, flags: AppFlags, command: string): Promise<{ group: string; app?: AppConfig }> {
  if (flags.app === undefined) {
    if (!groupArg) {
      throw new AsgDeployError('BAD_INPUT', `${command} needs a group name or --app NAME`, { hint: `e.g. \`asg-deploy ${command} web-asg\`; see \`asg-deploy ${command} --help\`` });
    }
    return { group: groupArg };
  }
  const inventory = await loadInventory({ file: flags.config });
  const app = resolveApp(inventory, flags.app);
  const group = groupArg ?? app.group;
  if (!group) {
    throw new AsgDeployError('BAD_INPUT', `app ${app.name} in ${app.source.file} has no \`group\` for ${command}`, {
      hint: app.bluegreen ? `it is a blue/green pair; use \`asg-deploy bluegreen --app ${app.name}\`` : `add \`group: NAME\` under apps.${app.name}`,
    });
  }
  if (app.region && !process.env.AWS_REGION) process.env.AWS_REGION = app.region;
  if (app.profile && !process.env.AWS_PROFILE) process.env.AWS_PROFILE = app.profile;
  return { group, app };
}
