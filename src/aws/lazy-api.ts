/**
 * Narrow APIs whose module (and with it the SDK client it drives) is loaded on
 * first call, so a command loads only the SDK clients it uses (issue 11 "a
 * quick start": `status` needs Auto Scaling alone). Each lazy API is a plain
 * object with every method of its interface (so it can be spread and
 * wrapped like the real one); the tables below list the methods, and the
 * compiler checks each lists exactly its interface's.
 */

import type { AutoScalingApi } from './autoscaling.js';
import type { CloudWatchApi } from './cloudwatch.js';
import type { Ec2Api } from './ec2.js';
import type { Elbv2Api } from './elbv2.js';
import type { ProvisionApi } from './provision.js';
import type { FleetCopyApi } from './fleet-copy.js';

export const AUTOSCALING_METHODS = { describeGroup: true, findGroup: true, describeGroups: true, setDesiredCapacity: true, updateGroup: true, terminateInstance: true, enterStandby: true, exitStandby: true, attachInstances: true, detachInstances: true, setInstanceProtection: true, suspendProcesses: true, resumeProcesses: true, createOrUpdateTags: true, deleteTags: true, describeScalingActivities: true, describePolicies: true, putScalingPolicy: true, deletePolicy: true, describeScheduledActions: true, putScheduledUpdateGroupAction: true, deleteScheduledAction: true, describeInstanceRefreshes: true, describeLaunchConfigurations: true } as const satisfies Record<keyof AutoScalingApi, true>;
export const EC2_METHODS = { describeInstances: true, describeImages: true, createImage: true, deregisterImage: true, describeSnapshots: true, deleteSnapshot: true, describeLaunchTemplates: true, describeLaunchTemplateVersions: true, createLaunchTemplateVersion: true, modifyLaunchTemplate: true, deleteLaunchTemplateVersions: true, createTags: true, findInstances: true, describeLatestAndDefaultVersions: true } as const satisfies Record<keyof Ec2Api, true>;
export const ELBV2_METHODS = { describeTargetHealth: true, deregisterTargets: true, registerTargets: true, describeTargetGroups: true, describeTargetGroupAttributes: true } as const satisfies Record<keyof Elbv2Api, true>;
export const CLOUDWATCH_METHODS = { describeAlarmStates: true, describeAlarms: true, putMetricAlarm: true, deleteAlarms: true } as const satisfies Record<keyof CloudWatchApi, true>;
export const PROVISION_METHODS = { defaultNetwork: true, amazonImage: true, createLaunchTemplate: true, registerImage: true, createTargetGroup: true, createLoadBalancer: true, createGroup: true } as const satisfies Record<keyof ProvisionApi, true>;
export const FLEET_COPY_METHODS = {
  describeRawGroups: true,
  describeLifecycleHooks: true,
  describeWarmPool: true,
  describeLoadBalancers: true,
  registerImage: true,
  createTargetGroup: true,
  createLoadBalancer: true,
  createGroup: true,
  putLifecycleHook: true,
  putWarmPool: true,
  runInstance: true,
} as const satisfies Record<keyof FleetCopyApi, true>;


/** An object with `methods`, each loading the real API once (on the first call of any) and calling through. */
export function lazyApi<T extends object>(methods: Readonly<Record<keyof T, true>>, load: () => Promise<T>): T {
  let loaded: Promise<T> | undefined;
  const api: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(methods)) {
    api[name] = async (...args: unknown[]) => {
      const real = (await (loaded ??= load())) as Record<string, (...a: unknown[]) => unknown>;
      return real[name]!(...args);
    };
  }
  return api as T;
}
