/**
 * What the CLI's own lines carry beyond the envelope (code, level, t, time,
 * and group / deployId where they apply): with --output json every line a
 * command prints is an event of the registry (README "Events"), these
 * included. Fields are the ones each line had before it got the envelope, so
 * scripts that read them keep working; the emulator's line also keeps its
 * old `event` name for scripts that selected on it. (`continue`'s line,
 * `continue-signalled`, is a guardrail event: guardrail-payloads.ts.)
 *
 * The types are structural (no import from deploy/, report/, rehearse/): the
 * commands spread their results into them, and the field table (fields.ts)
 * with its test keeps the two in step.
 */
export interface CliEventPayloads {
  /** A failed command ends with one `error` in the same envelope as every event. */
  error: {
    /** The AsgDeployError code (BAD_INPUT, NETWORK, …), or INTERNAL for a bug. */
    errorCode: string;
    fault: string;
    message: string;
    hint?: string;
    details?: Readonly<Record<string, unknown>>;
    /** The process's exit code (README "Exit codes"). */
    exitCode: number;
  };
  /** `asg-deploy emulator`: it listens. `event` is the line's name before the envelope, kept for scripts. */
  'emulator-listening': { event: 'emulator.listening'; endpoint: string; speed: number; seed: number; exportLine: string; stateFile?: string; /** The emulated world's clock (ISO 8601) when a state file was loaded. */ now?: string };
  /** `asg-deploy demo`: each act's outcome, simulated duration, lowest serving (from the emulator's history), floor and API calls. */
  'demo-summary': { acts: { name: string; outcome: string; simulatedSeconds: number; lowestServing: number; floor: number; apiCalls: number; report?: string }[] };
  /** `asg-deploy report`: where the HTML report went and what it covers. */
  'report-written': { path: string; deployId?: string; groups: string[]; outcome: string; versions: string[]; sources: string[] };
  /** `asg-deploy status --output json`: the fleet (src/deploy/status.ts FleetStatus), one line per look (`--watch`: every 5 s). */
  status: {
    takenAt: number;
    minSize: number;
    maxSize: number;
    desiredCapacity: number;
    launchTemplate?: { id?: string; name?: string; version: string };
    suspendedProcesses: string[];
    serving: number;
    versions: object[];
    instances: object[];
    deploy?: object;
    lastDeploy?: Record<string, string>;
    /** The deploy's guardrails: what it stored, its pause and bake, its alarms' states (issue 9). */
    guardrails?: object;
  };
  /**
   * `asg-deploy history --output json`: one line per row, newest first — a
   * deploy (`kind` deploy, or unrecorded: seen only in the activities) or, with
   * `--activities`, another scaling activity of the group (`kind` activity).
   */
  history: {
    kind: 'deploy' | 'unrecorded' | 'activity';
    startedAt: number;
    /** `startedAt` as ISO 8601. */
    started: string;
    endedAt?: number;
    ended?: string;
    id?: string;
    groups?: string[];
    strategy?: string;
    templateId?: string;
    fromVersion?: string;
    toVersion?: string;
    fromImage?: string;
    toImage?: string;
    startedBy?: string;
    durationSeconds?: number;
    outcome?: string;
    reason?: string;
    lowestServing?: number;
    lowestServingEstimated?: boolean;
    floor?: number;
    launched?: number;
    terminated?: number;
    failedLaunches?: number;
    sources?: string[];
    activityId?: string;
    status?: string;
    description?: string;
    cause?: string;
  };
  /** `asg-deploy iam-policy --output json`: the policy document and the permissions it left out as optional. */
  'iam-policy': { commands: string[]; groups: string[]; templates: string[]; policy: object; optional: { command: string; action: string; reason: string }[] };
  /** `asg-deploy rehearse --output json`: the rehearsal's report (level error when a rehearsed run failed). */
  rehearsal: {
    runs: object[];
    predictedSeconds: { median: number; min: number; max: number };
    lowestServing: number;
    floor?: number;
    apiCalls: number;
    problems: object[];
    assumptions: string[];
    timings: object;
    succeeded: boolean;
    reportPath?: string;
  };
}
