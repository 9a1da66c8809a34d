/** Seeing what happened: a group's deploy history, a deploy's report with a timeline chart, and the event log of a run. */
export { runsDirectory, eventLogPath, createEventLogWriter, readEventLog, parseEventLog, eventLogsForGroup } from './event-log.js';
export type { Environment, EventLogWriter } from './event-log.js';
export { activityKind, isUserRequest, stateChanges, InstanceTimeline } from './instance-timeline.js';
export type { InstanceState, StateChange, ActivityKind } from './instance-timeline.js';
export { reconstructHistory, mergeGroupHistories, activityRow } from './deploy-history.js';
export type { DeployHistoryEntry, ActivityRow, HistoryOutcome, HistorySource, GroupHistorySources, TemplateVersionFact } from './deploy-history.js';
export { loadHistory, loadGroup, resolveHistoryGroups } from './load-history.js';
export type { DeployHistory, HistoryOptions, LoadedGroup } from './load-history.js';
export { formatHistory, formatHistoryEntry, formatActivityRow, shortTime } from './history-text.js';
