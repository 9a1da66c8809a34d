/**
 * A fleet snapshot's instance as `admit` takes it. The private IP comes from
 * EC2 (take the snapshot with `{ ec2: true }`); without it the check still
 * runs with ASG_DEPLOY_PRIVATE_IP empty.
 *
 * @example
 *   const fleet = await aws.snapshotFleet('web', { ec2: true });
 *   await guards.admit(gctx, candidateInstance(fleet.instances[0]!, '7'));
 */
import type { Instance } from '../../core/index.js';
import type { CandidateInstance } from '../guardrail.js';

export function candidateInstance(instance: Instance, targetVersion: string): CandidateInstance {
  return {
    instanceId: instance.id,
    availabilityZone: instance.availabilityZone,
    version: instance.launchTemplate?.version ?? targetVersion,
    ...(instance.ec2?.privateIp === undefined ? {} : { privateIp: instance.ec2.privateIp }),
  };
}
