/**
 * What a command that talks to AWS needs, built from the global flags and the
 * app's inventory: AWS clients from the one factory (region and profile passed
 * to it, never written into process.env), a clock (sped up with --time-scale
 * to match an emulator started with --speed), one renderer for every event,
 * Ctrl-C as an AbortSignal, and an API-call counter for the summary. The AWS
 * layer (and with it the SDK) is loaded here, on first use, not at start-up.
 */
import { hostname } from 'node:os';
import type { Command } from 'commander';
import type { AwsClients } from '../aws/index.js';
import type { BakeContext } from '../bake/index.js';
import { RealClock, ScaledClock, type Clock } from '../clock/index.js';
import { AsgDeployError } from '../core/index.js';
import type { DeployContext } from '../deploy/index.js';
import type { CliContext } from './context.js';
import { createRenderer, type Renderer } from './render.js';

export interface GlobalOptions {
  region?: string;
  profile?: string;
  endpointUrl?: string;
  timeScale?: number;
  verbose?: boolean;
  /** false with --no-color: no colour in the live view even on a terminal. */
  color?: boolean;
}

/** Where an app of the inventory lives; the global flags and AWS_REGION / AWS_PROFILE win over it. */
export interface AppLocation {
  region?: string;
  profile?: string;
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

/**
 * An endpoint URL as the SDK needs it: absolute, http or https, with a host.
 * A malformed one is bad input (exit 2), not an AWS failure.
 */
export function parseEndpointUrl(value: string, source: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new AsgDeployError('BAD_INPUT', `invalid ${source} ${JSON.stringify(value)}: expected an http:// or https:// URL with a host`, {
      hint: 'e.g. --endpoint-url http://127.0.0.1:4545 for the local emulator',
      details: { value },
    });
  }
  return value;
}

export function clockFor(timeScale: number | undefined): Clock {
  return timeScale && timeScale !== 1 ? new ScaledClock(timeScale) : new RealClock();
}

/** The global options from any subcommand (commander keeps them on the root). */
export function globalOptions(command: Command): GlobalOptions {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts() as GlobalOptions;
}

export interface CommandRuntime {
  aws: AwsClients;
  clock: Clock;
  renderer: Renderer;
  /** For the deploy strategies; its events go to the renderer. */
  deploy: DeployContext;
  /** For bake and prune; its events go to the same renderer. */
  bake: BakeContext;
  apiCalls(): number;
  /** Ends the live line, stops listening for Ctrl-C and closes the clients. */
  dispose(): void;
}

export async function createRuntime(cli: CliContext, command: Command, app: AppLocation = {}): Promise<CommandRuntime> {
  const opts = globalOptions(command);
  const env = process.env;
  const timeScale = opts.timeScale ?? parseTimeScale(env.ASG_DEPLOY_TIME_SCALE, 'ASG_DEPLOY_TIME_SCALE');
  const endpoint = opts.endpointUrl ?? (env.AWS_ENDPOINT_URL ? parseEndpointUrl(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL') : undefined);
  // Precedence: the flag, then the environment, then the app's inventory entry.
  const region = opts.region ?? (env.AWS_REGION?.trim() ? undefined : app.region);
  const profile = opts.profile ?? (env.AWS_PROFILE?.trim() ? undefined : app.profile);
  const clock = clockFor(timeScale);
  const { createAwsClients } = await import('../aws/clients.js');
  const controller = new AbortController();
  let calls = 0;
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      cli.io.err('\nstopping at the next safe point (Ctrl-C again to quit at once)');
      controller.abort(new Error('interrupted'));
    } else {
      // Quit at once, but leave the terminal clean: erase the live block first.
      renderer.close();
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // The signal stops the engine at its next safe point; AWS calls in flight
  // are left to finish, so no step is cut in half.
  const aws = createAwsClients({
    ...(region === undefined ? {} : { region }),
    ...(profile === undefined ? {} : { profile }),
    ...(endpoint === undefined ? {} : { endpoint }),
    clock,
    onCall: (e) => {
      if (e.attempt === 1) calls++;
    },
  });
  // The live block's elapsed time and ETA run on the tool's clock, like the events' `t`.
  const renderer = createRenderer(cli.io, cli.output, { verbose: opts.verbose, color: opts.color !== false && cli.color !== false && cli.io.color === true, now: () => clock.now() });
  const owner = `${hostname()}:${process.pid}`;
  const { createEventLogWriter } = await import('../report/event-log.js');
  const eventLog = createEventLogWriter();
  return {
    aws,
    clock,
    renderer,
    // Every deploy's events also go to its event log, for `asg-deploy report` on this machine.
    deploy: {
      aws,
      clock,
      emit: (e) => {
        renderer.event(e);
        eventLog.sink(e);
      },
      signal: controller.signal,
      owner,
    },
    bake: { aws, clock, emit: (e) => renderer.event(e), signal: controller.signal },
    apiCalls: () => calls,
    dispose() {
      renderer.close();
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      aws.destroy();
    },
  };
}
