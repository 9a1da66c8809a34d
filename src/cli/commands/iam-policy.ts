/**
 * `asg-deploy iam-policy COMMAND… [--group NAME…] [--template ID…]`: prints the
 * least-privilege IAM policy for those commands (src/permissions/), ready for
 * `aws iam create-policy --policy-document file://…`. No AWS call.
 */
import type { Command } from 'commander';
import { COMMAND_PERMISSIONS, COMMANDS, checkGroupNames, checkTemplateIds, parseCommandNames, policyFor } from '../../permissions/index.js';
import { ExitCode } from '../exit-codes.js';
import type { CliContext } from '../context.js';
import { toJsonLine } from '../../events/index.js';

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];

export function registerIamPolicyCommand(program: Command, ctx: CliContext): void {
  program
    .command('iam-policy')
    .argument('<command...>', `the commands the policy is for: ${COMMANDS.join(', ')}`)
    .description('print the least-privilege IAM policy the given commands need (JSON for `aws iam create-policy`)')
    .option('--group <name>', 'scope group actions to this Auto Scaling group (repeatable or comma-separated; default every group)', collect)
    .option('--template <id>', 'scope template actions to this launch template id, lt-… (repeatable or comma-separated; default every template)', collect)
    .addHelpText(
      'after',
      `
Every action comes from one table in the code (src/permissions/command-permissions.ts)
that the tests prove against real runs: enough, and nothing more. Describe calls
are on "*" because AWS has no resource-level permissions for them; group
actions are on the groups' ARNs; tag writes only on asg-deploy:* keys.
Actions only some runs make (e.g. moving scaling policies in bluegreen) are
included and listed on stderr with the reason.

If your launch template names an instance profile, also grant iam:PassRole on
its role (Auto Scaling checks it for you when the group's template changes).

Examples:
  asg-deploy iam-policy roll --group web
  asg-deploy iam-policy roll status resume abort --group web --template lt-0123456789abcdef0 > policy.json
  aws iam create-policy --policy-name asg-deploy-web --policy-document file://policy.json
  asg-deploy iam-policy bluegreen rollback finish --group web-blue --group web-green
  asg-deploy emulator --iam-policy policy.json      # rehearse under exactly that policy
  asg-deploy --output json iam-policy status`,
    )
    .action((commands: string[], flags: { group?: string[]; template?: string[] }) => {
      const names = parseCommandNames(commands);
      const groups = checkGroupNames(flags.group ?? []);
      const templates = checkTemplateIds(flags.template ?? []);
      const policy = policyFor(names, { groups, templates });
      const optional = names.flatMap((c) => COMMAND_PERMISSIONS[c].permissions.filter((p) => p.optional).map((p) => ({ command: c, action: p.action, reason: p.optional! })));
      if (ctx.output === 'json') {
        ctx.io.out(toJsonLine({ code: 'iam-policy', t: Date.now(), commands: names, groups, templates, policy, optional }));
      } else {
        ctx.io.out(JSON.stringify(policy, null, 2));
        for (const o of optional) ctx.io.err(`note: ${o.command} needs ${o.action} ${o.reason}`);
      }
      ctx.exitCode = ExitCode.Success;
    });
}
