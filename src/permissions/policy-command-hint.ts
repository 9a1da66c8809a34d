/**
 * The `asg-deploy iam-policy …` command line that prints the policy a refused
 * command needs, from that command's own argv: what the error of a command
 * stopped by AccessDenied names next to the missing action.
 */
import { COMMANDS, type CommandName } from './command-permissions.js';

/** Flags (of any command) that take a value, so their value is not mistaken for a positional argument. */
const VALUED = /^--(region|profile|endpoint-url|time-scale|output|image|template-version|max-surge|min-healthy|warmup|timeout|max-failed-launches|app|config|blue|green|instances|termination-policy|instance|template|source-version|name|tag|wait-timeout|roll|keep|older-than|name-prefix|limit|deploy|out)$/;

const PAIR_COMMANDS: readonly CommandName[] = ['bluegreen', 'rollback', 'finish'];

/**
 * @example
 *   iamPolicyCommandFor(['--region', 'eu-west-1', 'roll', 'web', '--image', 'ami-1'])  // → 'asg-deploy iam-policy roll --group web'
 *   iamPolicyCommandFor(['bluegreen', 'shop'])                                          // → 'asg-deploy iam-policy bluegreen --group shop-blue --group shop-green'
 */
export function iamPolicyCommandFor(argv: readonly string[]): string | undefined {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      const [name, inline] = a.split('=', 2) as [string, string | undefined];
      if (inline !== undefined) flags.set(name, inline);
      else if (VALUED.test(name) && i + 1 < argv.length) flags.set(name, argv[++i]!);
      else if (name === '-o' && i + 1 < argv.length) i++;
      continue;
    }
    positional.push(a);
  }
  const command = COMMANDS.find((c) => c === positional[0]);
  if (!command) return undefined;
  const target = positional[1];
  const parts = ['asg-deploy', 'iam-policy', command];
  if (PAIR_COMMANDS.includes(command)) {
    const blue = flags.get('--blue') ?? (target ? `${target}-blue` : undefined);
    const green = flags.get('--green') ?? (target ? `${target}-green` : undefined);
    if (blue && green) parts.push('--group', blue, '--group', green);
  } else if (command === 'bake' || command === 'prune') {
    const template = flags.get('--template');
    if (template && /^lt-/.test(template)) parts.push('--template', template);
  } else if (target) {
    parts.push('--group', target);
  }
  return parts.join(' ');
}
