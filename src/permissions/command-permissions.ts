/**
 * THE table: every AWS call each asg-deploy command can make, as the IAM
 * action it needs and what it acts on. `asg-deploy iam-policy` prints its
 * policies from this table alone, and test/iam/ proves it against recorded
 * runs: every call a command makes is here, and every action here that is not
 * marked optional is needed (removing it makes the command fail naming it).
 *
 * Resource scopes follow the Service Authorization Reference:
 * - Auto Scaling group actions take the group ARN and `autoscaling:ResourceTag/…`;
 *   every Auto Scaling Describe* is `*` (no resource-level permissions).
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html
 * - ELBv2 Describe* are `*`. https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
 * - EC2 Describe* are `*`; launch template, image, snapshot and instance
 *   actions take their ARNs. https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * - Calls Auto Scaling makes for the caller: Update/CreateAutoScalingGroup
 *   with a launch template need `ec2:RunInstances` (plus `iam:PassRole` when
 *   the template names an instance profile, `ec2:CreateTags` when it has tag
 *   specifications). SetDesiredCapacity and the launches that follow do not:
 *   the service-linked role launches ("Amazon EC2 Auto Scaling API permissions",
 *   https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-api-permissions.html).
 */

/** What an action is scoped to in the policy. */
export type PermissionScope =
  /** `*`: the action has no resource-level permissions (describes). */
  | 'any'
  /** The Auto Scaling groups (--group). */
  | 'group'
  /** The Auto Scaling groups, and only asg-deploy's own tag keys (`aws:TagKeys` asg-deploy:*). */
  | 'group-deploy-tags'
  /** The launch templates (--template). */
  | 'template'
  /** ec2:RunInstances checked by Auto Scaling for the caller, for the templates (condition ec2:LaunchTemplate). */
  | 'launch-from-template'
  /** CreateImage: the source instance, the new image and its snapshots. */
  | 'create-image'
  /** Tagging the new image and snapshots as CreateImage makes them (`ec2:CreateAction` = CreateImage). */
  | 'tag-on-create-image'
  /** Images and snapshots being deleted (prune). */
  | 'image-and-snapshot'
  /** CloudWatch alarms (moved with a group's scaling policies). */
  | 'alarm';

export interface CommandPermission {
  /** `autoscaling:SetDesiredCapacity`. */
  action: string;
  scope: PermissionScope;
  /** Set when a successful run may not make this call: why and when it does (the proof does not remove these). */
  optional?: string;
}

export const COMMANDS = ['roll', 'resume', 'abort', 'bluegreen', 'rollback', 'finish', 'swap', 'shrink', 'bake', 'prune', 'status', 'history', 'report', 'rehearse'] as const;
export type CommandName = (typeof COMMANDS)[number];

const p = (action: string, scope: PermissionScope, optional?: string): CommandPermission => (optional === undefined ? { action, scope } : { action, scope, optional });

/** Every snapshot of a group: one DescribeAutoScalingGroups, one DescribeTargetHealth per target group. */
const READ_FLEET = [p('autoscaling:DescribeAutoScalingGroups', 'any'), p('elasticloadbalancing:DescribeTargetHealth', 'any')];

/** The record and the lock live in asg-deploy:* tags on the group; processes suspended and resumed; sizes raised and restored. */
const DEPLOY_STATE = [
  p('autoscaling:CreateOrUpdateTags', 'group-deploy-tags'),
  p('autoscaling:DeleteTags', 'group-deploy-tags'),
  p('autoscaling:SuspendProcesses', 'group'),
  p('autoscaling:ResumeProcesses', 'group'),
  p('autoscaling:UpdateAutoScalingGroup', 'group'),
];

/** The preflight of a deploy onto a new version: no instance refresh running, the target groups' settings, the image and the template. */
const PREFLIGHT = [
  p('autoscaling:DescribeInstanceRefreshes', 'any'),
  p('elasticloadbalancing:DescribeTargetGroups', 'any'),
  p('elasticloadbalancing:DescribeTargetGroupAttributes', 'any'),
  p('ec2:DescribeImages', 'any'),
  p('ec2:DescribeLaunchTemplateVersions', 'any'),
  p('ec2:CreateLaunchTemplateVersion', 'template', 'only with --image (a new template version with only ImageId changed); --template-version deploys an existing one'),
  p('ec2:RunInstances', 'launch-from-template'),
];

const ROLL_STEPS = [p('autoscaling:SetDesiredCapacity', 'group'), p('autoscaling:TerminateInstanceInAutoScalingGroup', 'group')];

/** The wave loop reads the group's scaling activities every poll: a Failed or Cancelled launch is a failed launch (issue 8). */
const WAVE_WATCH = [p('autoscaling:DescribeScalingActivities', 'any')];

/**
 * A take-over's wave loop reads the target groups' health-check settings and
 * deregistration delay once: it polls when a state can next change and times
 * the drain from them (issue 11). A new deploy reads them in its preflight.
 */
const WAVE_TIMING = [p('elasticloadbalancing:DescribeTargetGroups', 'any'), p('elasticloadbalancing:DescribeTargetGroupAttributes', 'any')];

/** Scaling policies, scheduled actions and their alarms follow the live fleet in a blue/green switch. */
const SCALING_CONFIGURATION = [
  p('autoscaling:DescribePolicies', 'any'),
  p('autoscaling:DescribeScheduledActions', 'any'),
  p('autoscaling:PutScalingPolicy', 'group', 'only when the live group has scaling policies: they move to the new live group'),
  p('autoscaling:DeletePolicy', 'group', 'only when the live group has scaling policies: they leave the old group'),
  p('autoscaling:PutScheduledUpdateGroupAction', 'group', 'only when the live group has scheduled actions: they move to the new live group'),
  p('autoscaling:DeleteScheduledAction', 'group', 'only when the live group has scheduled actions: they leave the old group'),
  p('cloudwatch:DescribeAlarms', 'any', 'only when the live group has scaling policies: finds the alarms that drive them'),
  p('cloudwatch:PutMetricAlarm', 'alarm', 'only when a moved step/simple scaling policy has alarms: they are pointed at the new policy'),
  p('cloudwatch:DeleteAlarms', 'alarm', 'only when a moved policy\'s alarm had to be recreated under a new name'),
];

/** history and report: the record and last-deploy tags come with DescribeAutoScalingGroups; activities; template versions for the image columns. */
const READ_HISTORY = [
  p('autoscaling:DescribeAutoScalingGroups', 'any'),
  p('autoscaling:DescribeScalingActivities', 'any'),
  p('ec2:DescribeLaunchTemplateVersions', 'any', "best effort: names each version's image and author; without it (or with the template deleted) those columns stay empty"),
];

/** rehearse: reads the fleet's whole shape to copy it into the embedded emulator; never a write (src/rehearse/fleet-shape.ts). */
const READ_SHAPE = [
  p('autoscaling:DescribeAutoScalingGroups', 'any'),
  p('autoscaling:DescribeLifecycleHooks', 'any'),
  p('autoscaling:DescribeWarmPool', 'any'),
  p('autoscaling:DescribePolicies', 'any'),
  p('autoscaling:DescribeScheduledActions', 'any'),
  p('autoscaling:DescribeScalingActivities', 'any'),
  p('ec2:DescribeLaunchTemplates', 'any'),
  p('ec2:DescribeLaunchTemplateVersions', 'any'),
  p('ec2:DescribeImages', 'any'),
  p('ec2:DescribeInstances', 'any', 'only for `rehearse swap`: the prepared instances it copies'),
  p('elasticloadbalancing:DescribeTargetGroups', 'any'),
  p('elasticloadbalancing:DescribeTargetGroupAttributes', 'any'),
  p('elasticloadbalancing:DescribeLoadBalancers', 'any'),
  p('elasticloadbalancing:DescribeListeners', 'any'),
  p('cloudwatch:DescribeAlarms', 'any', 'only when a scaling policy of the group has alarms to copy'),
];

const ON_RESUME = 'only when the interrupted deploy had that step left to do';

/** `--alarm NAME` (issue 9): the watched alarms' states, read at preflight and every poll. */
const WATCH_ALARMS = p('cloudwatch:DescribeAlarms', 'any', 'only with --alarm (or alarms under guardrails: in asg-deploy.yaml): the watched alarms\' states');

export interface CommandEntry {
  /** One line for --help. */
  summary: string;
  permissions: readonly CommandPermission[];
}

export const COMMAND_PERMISSIONS: Readonly<Record<CommandName, CommandEntry>> = {
  status: {
    summary: 'read the group and its target health',
    permissions: [...READ_FLEET, p('cloudwatch:DescribeAlarms', 'any', 'only while a deploy that watches alarms (--alarm) is in progress: their states (issue 9)')],
  },
  history: {
    summary: 'read-only: the group (with its tags), its scaling activities and template versions',
    permissions: READ_HISTORY,
  },
  report: {
    summary: 'read-only: the group (with its tags), its scaling activities and template versions',
    permissions: READ_HISTORY,
  },
  rehearse: {
    summary: 'read-only: the fleet\'s whole shape, copied into the embedded emulator where the deploy runs',
    permissions: READ_SHAPE,
  },
  roll: { summary: 'a rolling deploy (surge, health gates, automatic rollback)', permissions: [...READ_FLEET, ...WAVE_WATCH, ...PREFLIGHT, ...DEPLOY_STATE, ...ROLL_STEPS, WATCH_ALARMS] },
  resume: {
    summary: 'finish an interrupted deploy from the record on the group',
    permissions: [
      ...READ_FLEET,
      ...WAVE_WATCH,
      ...WAVE_TIMING,
      ...DEPLOY_STATE,
      p('autoscaling:SetDesiredCapacity', 'group', ON_RESUME),
      p('autoscaling:TerminateInstanceInAutoScalingGroup', 'group'),
      p('ec2:RunInstances', 'launch-from-template', 'only when the interrupted deploy still has to point the group at the new template version'),
      p('cloudwatch:DescribeAlarms', 'any', 'only when the deploy stored alarms to watch (--alarm), or resume is given --alarm'),
    ],
  },
  abort: {
    summary: 'undo a deploy in progress: back to the previous version',
    permissions: [
      ...READ_FLEET,
      ...WAVE_WATCH,
      ...WAVE_TIMING,
      ...DEPLOY_STATE,
      p('autoscaling:SetDesiredCapacity', 'group', ON_RESUME),
      p('autoscaling:TerminateInstanceInAutoScalingGroup', 'group'),
      p('ec2:RunInstances', 'launch-from-template'),
    ],
  },
  shrink: {
    summary: 'double and shrink: a whole new half, then the old half removed',
    permissions: [
      ...READ_FLEET,
      ...WAVE_WATCH,
      ...PREFLIGHT,
      ...DEPLOY_STATE,
      p('autoscaling:SetDesiredCapacity', 'group'),
      p('autoscaling:SetInstanceProtection', 'group'),
      p('autoscaling:TerminateInstanceInAutoScalingGroup', 'group', 'only when the zones are uneven after the shrink: the surplus of the instance launched to even them out goes'),
      WATCH_ALARMS,
    ],
  },
  swap: {
    summary: 'put prepared instances in place of as many old ones',
    permissions: [
      ...READ_FLEET,
      p('autoscaling:DescribeInstanceRefreshes', 'any'),
      p('elasticloadbalancing:DescribeTargetGroups', 'any'),
      p('elasticloadbalancing:DescribeTargetGroupAttributes', 'any'),
      p('ec2:DescribeInstances', 'any'),
      ...DEPLOY_STATE.filter((x) => x.action !== 'autoscaling:UpdateAutoScalingGroup'),
      p('autoscaling:UpdateAutoScalingGroup', 'group', 'only when the group\'s MaxSize must be raised to attach the prepared instances'),
      p('autoscaling:AttachInstances', 'group'),
      p('autoscaling:TerminateInstanceInAutoScalingGroup', 'group'),
      p('autoscaling:DetachInstances', 'group', 'only with --keep-old, or to take the prepared instances out again on failure'),
      WATCH_ALARMS,
    ],
  },
  bluegreen: {
    summary: 'deploy onto the idle group of a pair, then switch; the old fleet waits in Standby',
    permissions: [
      ...READ_FLEET,
      ...WAVE_WATCH,
      ...PREFLIGHT,
      ...DEPLOY_STATE,
      ...SCALING_CONFIGURATION,
      p('autoscaling:SetDesiredCapacity', 'group'),
      p('autoscaling:EnterStandby', 'group'),
      p('autoscaling:ExitStandby', 'group', 'only on failure after the switch: the old fleet comes back from Standby'),
      p('autoscaling:TerminateInstanceInAutoScalingGroup', 'group', 'only on failure: new instances that never became healthy'),
    ],
  },
  rollback: {
    summary: 'blue/green: serve the old fleet again (out of Standby)',
    permissions: [
      ...READ_FLEET,
      ...DEPLOY_STATE,
      ...SCALING_CONFIGURATION,
      p('autoscaling:ExitStandby', 'group'),
      // The idle group's template goes back to the old version: Auto Scaling checks the launch for the caller.
      p('ec2:RunInstances', 'launch-from-template'), p('autoscaling:SetDesiredCapacity', 'group', 'only when the new group still has instances to empty')],
  },
  finish: {
    summary: 'blue/green: keep the new fleet, terminate the old one',
    permissions: [
      ...READ_FLEET,
      p('autoscaling:CreateOrUpdateTags', 'group-deploy-tags'),
      p('autoscaling:DeleteTags', 'group-deploy-tags'),
      p('autoscaling:TerminateInstanceInAutoScalingGroup', 'group'),
      p('autoscaling:UpdateAutoScalingGroup', 'group', 'only when the old group\'s sizes must be lowered to let its instances go'),
    ],
  },
  bake: {
    summary: 'an AMI from a running instance, and a template version with only ImageId changed',
    permissions: [
      p('ec2:DescribeInstances', 'any'),
      p('ec2:DescribeLaunchTemplates', 'any'),
      p('ec2:DescribeLaunchTemplateVersions', 'any'),
      p('ec2:DescribeImages', 'any'),
      p('ec2:DescribeSnapshots', 'any', 'progress only: while waiting for the image bake shows its snapshots\' progress, and carries on without it when refused'),
      p('ec2:CreateImage', 'create-image'),
      p('ec2:CreateTags', 'tag-on-create-image'),
      p('ec2:CreateLaunchTemplateVersion', 'template'),
      p('ec2:ModifyLaunchTemplate', 'template', 'only with --set-default'),
    ],
  },
  prune: {
    summary: 'deregister old images and their snapshots, delete unreferenced template versions',
    permissions: [
      p('autoscaling:DescribeAutoScalingGroups', 'any'),
      p('autoscaling:DescribeLaunchConfigurations', 'any'),
      p('ec2:DescribeImages', 'any'),
      p('ec2:DescribeInstances', 'any'),
      p('ec2:DescribeLaunchTemplates', 'any'),
      p('ec2:DescribeLaunchTemplateVersions', 'any'),
      p('ec2:DescribeSnapshots', 'any', 'only when an image\'s snapshots are not listed in its block device mappings'),
      p('ec2:DeregisterImage', 'image-and-snapshot'),
      p('ec2:DeleteSnapshot', 'image-and-snapshot'),
      p('ec2:DeleteLaunchTemplateVersions', 'template'),
    ],
  },
};

/** Checks a command name, case-insensitively; undefined when unknown. */
export function commandName(value: string): CommandName | undefined {
  return COMMANDS.find((c) => c === value.toLowerCase());
}
