/**
 * The shared rehearsal fleet (src/testing/, the package's `./testing` entry)
 * for the tests, plus what only tests need: a raw EC2 client on the fleet for
 * the calls the narrow clients do not make, the built CLI's path and its
 * environment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2Client } from '@aws-sdk/client-ec2';
import {
  FLEET_CREDENTIALS,
  FLEET_REGION,
  startFleet as startSharedFleet,
  type FleetOptions,
  type TestFleet as SharedFleet,
} from '../../src/testing/index.js';

export {
  waitFor,
  lowestServingSince,
  peakLaunchingOrServingSince,
  mutatingCallsBetween,
  groupFieldChanges,
  MUTATING_ACTION,
} from '../../src/testing/index.js';
export type { FleetOptions, FleetHealthCheck } from '../../src/testing/index.js';

export interface TestFleet extends SharedFleet {
  /** A plain SDK client on the fleet's emulator (closed with the fleet). */
  ec2: EC2Client;
}

export async function startFleet(options: FleetOptions): Promise<TestFleet> {
  const fleet = await startSharedFleet(options);
  const ec2 = new EC2Client({ endpoint: fleet.emu.endpoint, region: FLEET_REGION, credentials: FLEET_CREDENTIALS });
  return {
    ...fleet,
    ec2,
    async close() {
      ec2.destroy();
      await fleet.close();
    },
  };
}

/** The built CLI entry point (dist/src/cli/bin.js), resolved from this compiled file (dist/test/helpers/). */
export const CLI_BIN = new URL('../../src/cli/bin.js', import.meta.url).pathname;

/**
 * The environment for an asg-deploy child process: this one's without any
 * AWS_* variable (no profile or real credentials leak in), fake credentials
 * (never printed), no config files, the SDK's Node-version warning off, and
 * deploy event logs written under a directory of this test run, not the user's.
 */
const TEST_STATE_HOME = mkdtempSync(join(tmpdir(), 'asg-deploy-test-state-'));

export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_') && k !== 'ASG_DEPLOY_TIME_SCALE') env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    XDG_STATE_HOME: TEST_STATE_HOME,
    ...extra,
  };
}
