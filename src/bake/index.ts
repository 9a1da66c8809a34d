/** Images that follow every release: `bake` (image → launch template version) and `prune` (the old ones go, the used ones stay). */
export { bakeImage, assertGroupUsesTemplate } from './bake.js';
export type { BakeOptions, BakeResult, BakeOutcome } from './bake.js';
export { bakeAndRoll } from './bake-and-roll.js';
export type { BakeAndRollResult, RollAfterBake } from './bake-and-roll.js';
export { prune, gatherPruneInput, toPruneImage } from './prune.js';
export type { PruneOptions, PruneResult, PruneFailure, GatheredPrune } from './prune.js';
export { planPrune, belongsToApp, describeKeepReason, resolveVersionNumber } from './prune-plan.js';
export type {
  PruneInput,
  PrunePlan,
  PruneImage,
  PruneInstance,
  PruneGroup,
  PruneTemplate,
  PruneTemplateVersion,
  PruneLaunchConfiguration,
  KeepReason,
  ImageDecision,
  SnapshotDecision,
  VersionDecision,
} from './prune-plan.js';
export { waitForImage, checkImage, snapshotIdsOf, DEFAULT_IMAGE_WAIT_MS, NOT_YET_VISIBLE_MS } from './wait-image.js';
export type { ImageCheck, WaitForImageOptions } from './wait-image.js';
export { resolveTemplate, resolveTemplateVersion, resolveSourceInstance, templateKeyOf, parseSourceVersion } from './source.js';
export type { ResolvedTemplate, SourceInstance } from './source.js';
export { BAKE_TAGS, IMAGE_NAME, defaultImageName, isBakedName, checkImageName, checkTag, parseTagAssignment, bakeTags } from './tags.js';
export { BakeEventLog, bakeEventLevel } from './events.js';
export type { BakeEvent, BakeEventCode, BakeEventSink, BakeEventLevel } from './events.js';
export type { BakeContext } from './context.js';
export { DEFAULT_IMAGE_POLL_MS } from './context.js';
