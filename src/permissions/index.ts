export { COMMAND_PERMISSIONS, COMMANDS, commandName } from './command-permissions.js';
export type { CommandName, CommandPermission, CommandEntry, PermissionScope } from './command-permissions.js';
export { policyFor, actionsFor, groupArnPattern, launchTemplateArnPattern, parseCommandNames, checkTemplateIds, checkGroupNames } from './policy-generator.js';
export type { PolicyScope, PolicyDocumentJson, PolicyStatementJson } from './policy-generator.js';
export { iamPolicyCommandFor } from './policy-command-hint.js';
