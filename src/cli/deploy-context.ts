/**
 * Builds what deploy commands need from the global flags: AWS clients from the
 * standard configuration (profile, region, endpoint), a clock (sped up with
 * --time-scale to match an emulator started with --speed), an event renderer,
 * Ctrl-C as an AbortSignal, and an API-call counter for the summary.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { createAwsClients, type AwsClients } from '../aws/index.js';
import { RealClock, ScaledClock, type Clock } from '../clock/index.js';
import { AsgDeployError } from '../core/index.js';
import type { DeployContext, DeployEvent } from '../deploy/index.js';
import type { CliContext } from './context.js';
import { createRenderer, type Renderer } from './render.js';

export interface GlobalAwsOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  timeScale?: number;
  verbose?: boolean;
}

export function parseTimeScale(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 100000) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${source} ${JSON.stringify(value)}: expected a number of simulated seconds per real second, e.g. 60`, {
      hint: 'use the same value as the emulator\'s --speed; 1 (the default) is real time',
    });
  }
  return n;
}

export function clockFor(timeScale: number | undefined): Clock {
  return timeScale && timeScale !== 1 ? new ScaledClock(timeScale) : new RealClock();
}

export interface CommandRuntime {
  deploy: DeployContext;
  aws: AwsClients;
  renderer: Renderer;
  apiCalls(): number;
  /** Stops listening for Ctrl-C and closes the clients. */
  dispose(): void;
}

/** The global options from any subcommand (commander keeps them on the root). */
export function globalOptions(command: Command): GlobalAwsOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts() as GlobalAwsOptions;
}

export function createRuntime(cli: CliContext, command: Command): CommandRuntime {
  const opts = globalOptions(command);
  const timeScale = opts.timeScale ?? parseTimeScale(process.env.ASG_DEPLOY_TIME_SCALE, 'ASG_DEPLOY_TIME_SCALE');
  const clock = clockFor(timeScale);
  const controller = new AbortController();
  let calls = 0;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      cli.io.err('\nstopping at the next safe point (Ctrl-C again to quit at once)');
      controller.abort(new Error('interrupted'));
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // The signal stops the engine at its next safe point; AWS calls in flight
  // are left to finish, so no step is cut in half.
  const aws = createAwsClients({
    region: opts.region,
    profile: opts.profile,
    endpoint: opts.endpointUrl,
    clock,
    onCall: (e) => {
      if (e.attempt === 1) calls++;
    },
  });
  const renderer = createRenderer(cli.io, cli.output, { verbose: opts.verbose });
  const owner = `${hostname()}:${process.pid}`;
  return {
    aws,
    renderer,
    deploy: { aws, clock, emit: (e: DeployEvent) => renderer.event(e), signal: controller.signal, owner },
    apiCalls: () => calls,
    dispose() {
      renderer.close();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      aws.destroy();
    },
  };
}
