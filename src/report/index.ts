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
export { buildTimeline } from './deploy-timeline.js';
export type { DeployTimeline, TimelineSample, TimelineMarker, TimelineInstance, VersionCounts, MarkerKind, TimelineInput } from './deploy-timeline.js';
export { renderTimelineSvg, versionColour, VERSION_COLOURS } from './timeline-chart.js';
export { renderReportHtml } from './report-html.js';
export type { ReportMeta } from './report-html.js';
export { buildDeployReport, writeDeployReport, defaultReportPath } from './deploy-report.js';
export type { DeployReport, DeployReportOptions } from './deploy-report.js';
export { el, escapeXml } from './svg.js';
