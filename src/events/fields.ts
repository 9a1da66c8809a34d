/**
 * The fields of every event's payload as data, checked by the compiler against
 * the payload types (a missing, extra, mistyped or wrongly optional field does
 * not compile). schema/events.schema.json is generated from this table
 * (json-schema.ts), so the published schema cannot drift from the types.
 */
import type { EventCode, EventPayloads } from './registry.js';

type Kind<T> = [T] extends [boolean]
  ? 'boolean'
  : [T] extends [number]
    ? 'number'
    : [T] extends [string]
      ? 'string'
      : [T] extends [readonly string[]]
        ? 'string[]'
        : [T] extends [Readonly<Record<string, string>>]
          ? 'string-map'
          : [T] extends [readonly object[]]
            ? 'object[]'
            : 'object';

/** Required fields name their kind (`'number'`, or the allowed strings); optional ones add `?`. */
type FieldSpec<P, K extends keyof P> = {} extends Pick<P, K>
  ? `${Kind<NonNullable<P[K]>>}?`
  : Kind<P[K]> | ([P[K]] extends [string] ? (string extends P[K] ? never : readonly P[K][]) : never);

export type FieldsOf<P> = { readonly [K in keyof P]-?: FieldSpec<P, K> };

export const EVENT_FIELDS = {
  plan: { strategy: 'string', fromVersion: 'string', toVersion: 'string', templateId: 'string', desired: 'number', floor: 'number', surge: 'number', waves: 'number', expectedSeconds: 'number', replace: 'number', maxSizeNeeded: 'number', expectedNote: 'string?' },
  'nothing-to-do': { reason: 'string' },
  locked: { lockOwner: 'string' },
  'record-written': { phase: 'string' },
  'processes-suspended': { processes: 'string[]' },
  'processes-resumed': { processes: 'string[]' },
  'group-pinned': { templateId: 'string', version: 'string' },
  'max-size-raised': { from: 'number', to: 'number' },
  'wave-started': { wave: 'number', waves: 'number', launching: 'number', desired: 'number', batch: 'number?' },
  'instance-launched': { instanceId: 'string', version: 'string', az: 'string?', via: 'string?' },
  'instance-ready': { instanceId: 'string', version: 'string', afterSeconds: 'number' },
  'instance-failed': { instanceId: 'string', reason: 'string', failedLaunches: 'number', maxFailedLaunches: 'number' },
  'instance-retiring': { instanceId: 'string', version: 'string', az: 'string?' },
  'instance-gone': { instanceId: 'string' },
  progress: { phase: 'string', targetVersion: 'string', onTarget: 'number', old: 'number', serving: 'number', floor: 'number', startDesired: 'number', desired: 'number', launching: 'number', etaSeconds: 'number?', etaReason: 'string?' },
  waiting: { what: 'string', seconds: 'number' },
  'rollback-started': { reason: 'string', toVersion: 'string' },
  interrupted: { phase: 'string', resumeCommand: 'string', abortCommand: 'string' },
  restored: { min: 'number', max: 'number', desired: 'number' },
  unlocked: {},
  done: { outcome: ['succeeded', 'rolled-back', 'failed', 'aborted'], seconds: 'number', version: 'string', lowestServing: 'number', floor: 'number', apiCalls: 'number?', reason: 'string?', summary: 'string?' },
  retry: { operation: 'string', attempt: 'number', delayMs: 'number', error: 'string' },
  pair: { app: 'string', live: 'string', idle: 'string', liveDesired: 'number', targetGroups: 'string[]' },
  'group-sized': { min: 'number', max: 'number', desired: 'number', why: 'string' },
  'version-tagged': { key: 'string', value: 'string' },
  'policies-moved': { from: 'string', to: 'string', policies: 'string[]', scheduledActions: 'string[]', alarms: 'string[]', skipped: 'string[]', copyOnly: 'boolean' },
  'standby-entered': { instanceIds: 'string[]', desired: 'number' },
  'standby-exited': { instanceIds: 'string[]', desired: 'number' },
  'traffic-switched': { live: 'string', standby: 'string', serving: 'number', floor: 'number' },
  'awaiting-decision': { live: 'string', standby: 'string', standbyInstances: 'number', finishCommand: 'string', rollbackCommand: 'string' },
  'instances-attached': { instanceIds: 'string[]', desired: 'number' },
  'instances-detached': { instanceIds: 'string[]', desired: 'number' },
  'termination-policies-set': { policies: 'string[]' },
  'scale-in-protection': { instanceIds: 'string[]', protectedFromScaleIn: 'boolean' },
  'handed-over': { reason: 'string', restored: 'string[]', resumeCommand: 'string', abortCommand: 'string' },
  'launch-failed': { activityId: 'string', statusCode: 'string', statusMessage: 'string', failedLaunches: 'number', maxFailedLaunches: 'number' },
  'instances-held': { lifecycleState: 'string', instanceIds: 'string[]' },
  'alarm-watched': { alarms: 'object[]' },
  'alarm-state-changed': { alarm: 'string', from: 'string', to: 'string', reason: 'string?' },
  'checkpoint-reached': { percent: 'number', onTarget: 'number', total: 'number' },
  'checkpoint-paused': { percent: 'number', until: 'number?', continueCommand: 'string', abortCommand: 'string' },
  'checkpoint-continued': { percent: 'number', by: ['timer', 'continue'], pausedSeconds: 'number' },
  'bake-started': { seconds: 'number', until: 'number' },
  'bake-ended': { seconds: 'number', ok: 'boolean', reason: 'string?' },
  'check-passed': { instanceId: 'string', seconds: 'number' },
  'check-failed': { instanceId: 'string', reason: 'string', exitCode: 'number?', timedOut: 'boolean', output: 'string[]' },
  'guardrails-resumed': { alarms: 'string[]', checkpoints: 'string?', checkpointPause: 'string?', bakeSeconds: 'number?', check: 'string?', checkTimeoutSeconds: 'number?', noRollback: 'boolean', fromFlags: 'string[]', unstored: 'string[]' },
  'continue-signalled': { percent: 'number', by: 'string' },
  'bake-plan': { instanceId: 'string', templateId: 'string', templateName: 'string', sourceVersion: 'number', imageName: 'string', reboot: 'boolean', tags: 'string-map', setDefault: 'boolean', wait: 'boolean', dryRun: 'boolean' },
  'image-requested': { imageId: 'string', imageName: 'string', instanceId: 'string', reboot: 'boolean' },
  'image-pending': { imageId: 'string', seconds: 'number', snapshotProgress: 'string?' },
  'image-available': { imageId: 'string', seconds: 'number', snapshotIds: 'string[]' },
  'image-failed': { imageId: 'string', state: 'string', reason: 'string' },
  'default-version-set': { templateId: 'string', templateName: 'string', version: 'number', previous: 'number' },
  'bake-done': { imageId: 'string', imageName: 'string', imageState: 'string', templateId: 'string', version: 'number', isDefault: 'boolean', seconds: 'number' },
  'prune-plan': { images: 'number', keep: 'number', deleteImages: 'number', deleteSnapshots: 'number', deleteVersions: 'number', dryRun: 'boolean' },
  'image-kept': { imageId: 'string', imageName: 'string', createdAt: 'string', reasons: 'object[]', because: 'string[]' },
  'image-deregistered': { imageId: 'string', imageName: 'string', createdAt: 'string', dryRun: 'boolean' },
  'snapshot-deleted': { snapshotId: 'string', imageId: 'string', dryRun: 'boolean' },
  'snapshot-kept': { snapshotId: 'string', imageId: 'string', reason: 'string' },
  'version-deleted': { templateId: 'string', templateName: 'string', version: 'number', imageId: 'string?', dryRun: 'boolean' },
  'version-kept': { templateId: 'string', templateName: 'string', version: 'number', imageId: 'string?', reason: 'string' },
  'prune-done': { dryRun: 'boolean', keptImages: 'number', deletedImages: 'number', deletedSnapshots: 'number', deletedVersions: 'number', failures: 'number', seconds: 'number' },
  'template-version-created': { templateId: 'string', version: 'number', imageId: 'string', templateName: 'string?', sourceVersion: 'number?', imageState: 'string?' },
  warning: { message: 'string' },
  error: { errorCode: 'string', fault: 'string', message: 'string', hint: 'string?', details: 'object?', exitCode: 'number' },
  'emulator-listening': { event: ['emulator.listening'], endpoint: 'string', speed: 'number', seed: 'number', exportLine: 'string', stateFile: 'string?', now: 'string?' },
  'demo-summary': { acts: 'object[]' },
  'report-written': { path: 'string', deployId: 'string?', groups: 'string[]', outcome: 'string', versions: 'string[]', sources: 'string[]' },
  status: {
    takenAt: 'number',
    minSize: 'number',
    maxSize: 'number',
    desiredCapacity: 'number',
    launchTemplate: 'string-map?',
    suspendedProcesses: 'string[]',
    serving: 'number',
    versions: 'object[]',
    instances: 'object[]',
    deploy: 'object?',
    lastDeploy: 'string-map?',
    guardrails: 'object?',
  },
  history: {
    kind: ['deploy', 'unrecorded', 'activity'],
    startedAt: 'number',
    started: 'string',
    endedAt: 'number?',
    ended: 'string?',
    id: 'string?',
    groups: 'string[]?',
    strategy: 'string?',
    templateId: 'string?',
    fromVersion: 'string?',
    toVersion: 'string?',
    fromImage: 'string?',
    toImage: 'string?',
    startedBy: 'string?',
    durationSeconds: 'number?',
    outcome: 'string?',
    reason: 'string?',
    lowestServing: 'number?',
    lowestServingEstimated: 'boolean?',
    floor: 'number?',
    launched: 'number?',
    terminated: 'number?',
    failedLaunches: 'number?',
    sources: 'string[]?',
    activityId: 'string?',
    status: 'string?',
    description: 'string?',
    cause: 'string?',
  },
  'iam-policy': { commands: 'string[]', groups: 'string[]', templates: 'string[]', policy: 'object', optional: 'object[]' },
  rehearsal: {
    runs: 'object[]',
    predictedSeconds: 'object',
    lowestServing: 'number',
    floor: 'number?',
    apiCalls: 'number',
    problems: 'object[]',
    assumptions: 'string[]',
    timings: 'object',
    succeeded: 'boolean',
    reportPath: 'string?',
  },
} satisfies { [C in EventCode]: FieldsOf<EventPayloads[C]> };
