/** `--template` as typed, shared by `bake` and `prune`. */
import { AsgDeployError } from '../core/index.js';
import type { LaunchTemplateKey } from '../aws/index.js';

/** An id (lt- and 17 hex digits) or a name; BAD_INPUT naming the value otherwise. Loads the inventory's patterns when called. */
export async function parseTemplateOption(value: string, what = '--template'): Promise<LaunchTemplateKey> {
  const [{ LAUNCH_TEMPLATE }, { templateKeyOf }] = await Promise.all([import('../config/index.js'), import('../bake/source.js')]);
  if (!LAUNCH_TEMPLATE.test(value)) {
    throw new AsgDeployError('BAD_INPUT', `invalid ${what} ${JSON.stringify(value)}: expected a launch template id (lt- and 17 hex digits) or name (3 to 128 of letters, digits and ( ) . / _ -)`, {
      hint: 'e.g. --template lt-0123456789abcdef0 or --template web-lt',
      details: { value },
    });
  }
  return templateKeyOf(value);
}
