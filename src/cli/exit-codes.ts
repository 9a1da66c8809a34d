/** Exit codes, documented in `asg-deploy --help`. Stable: scripts depend on them. */
export const ExitCode = {
  /** Done: the deploy succeeded, or the command did what was asked. */
  Success: 0,
  /** The deploy failed and was rolled back: the fleet is on the previous version. */
  RolledBack: 1,
  /** Bad input: a flag, a config file or a name that does not exist. Nothing was changed. */
  BadInput: 2,
  /** The deploy failed and could not be rolled back (or --no-rollback): see `status`, then `resume` or `abort`. */
  Failed: 3,
  /** The group is locked by another deploy. Nothing was changed. */
  Locked: 4,
  /** Interrupted (Ctrl-C) at a safe point: `resume` or `abort` it. */
  Interrupted: 130,
  /** AWS refused or failed (credentials, permissions, throttling beyond retries). */
  AwsError: 5,
  /** A bug in asg-deploy: please report it with the output. */
  Internal: 70,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0    success (a deploy finished, or there was nothing to do)
  1    the deploy failed and was rolled back: the fleet serves the previous version
  2    bad input (flag, config file, unknown group/template/image): nothing changed
  3    the deploy failed and was left as is (--no-rollback, or the rollback failed):
       see \`asg-deploy status GROUP\`, then \`resume\` or \`abort\`
  4    the group is locked by another deploy: nothing changed
  5    AWS refused or failed (credentials, permissions, throttling beyond retries)
  70   internal error in asg-deploy (please report it)
  130  interrupted at a safe point: \`asg-deploy resume GROUP\` or \`asg-deploy abort GROUP\``;
