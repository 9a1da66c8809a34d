/**
 * The error every inventory problem raises: the file, the path inside it, the
 * bad value and the fix, for all problems at once.
 *
 * @example
 *   asg-deploy.yaml:7:17: apps.web.strategy.maxSurge: "25" is not a count or a percentage; write 2 (instances) or "25%"
 */
import { AsgDeployError, type ErrorCode } from '../core/errors.js';

/** One thing wrong in an inventory file. */
export interface ConfigProblem {
  /** The file as the user would name it (relative to the working directory when inside it). */
  file: string;
  /** Where in the file, dotted (`apps.web.strategy.maxSurge`); empty for the file as a whole. */
  path: string;
  /** 1-based line and column of the offending key or value, when known. */
  line?: number;
  column?: number;
  /** What is wrong, naming the bad value, then `; ` and what to write instead. */
  message: string;
}

/**
 * The code of every ConfigError. Not (yet) in core's ERROR_CODES catalogue,
 * hence the cast below; adding `BAD_CONFIG: 'user'` there makes it honest.
 */
export const BAD_CONFIG = 'BAD_CONFIG';

const BRAND: unique symbol = Symbol.for('asg-deploy.ConfigError') as never;

/** Where a problem is, as editors and compilers print it: `file:line:col: path`. */
export function formatProblem(problem: ConfigProblem): string {
  const place = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return problem.path === '' ? `${place}: ${problem.message}` : `${place}: ${problem.path}: ${problem.message}`;
}

/**
 * An inventory that cannot be used. `problems` lists every problem found (in
 * file order); the message shows them one per line.
 */
export class ConfigError extends AsgDeployError {
  readonly problems: readonly ConfigProblem[];
  private readonly [BRAND] = true;

  constructor(problems: readonly ConfigProblem[], options: { hint?: string; cause?: unknown } = {}) {
    if (problems.length === 0) throw new TypeError('a ConfigError needs at least one problem');
    const message =
      problems.length === 1
        ? formatProblem(problems[0]!)
        : `${problems[0]!.file} has ${problems.length} problems:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`;
    super(BAD_CONFIG as ErrorCode, message, {
      fault: 'user',
      ...(options.hint === undefined ? {} : { hint: options.hint }),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      details: { problems: problems.map((p) => ({ ...p })) },
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }

  /** True for any ConfigError, even one thrown by another copy of this module. */
  static isConfigError(e: unknown): e is ConfigError {
    return typeof e === 'object' && e !== null && (e as { [BRAND]?: unknown })[BRAND] === true;
  }
}

/** Same as {@link ConfigError.isConfigError}. */
export function isConfigError(e: unknown): e is ConfigError {
  return ConfigError.isConfigError(e);
}
