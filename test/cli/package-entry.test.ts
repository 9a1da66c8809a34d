/**
 * The package's entry points as a user imports them (Node resolves the
 * package's own name through its `exports` map): `asg-deploy` (the library),
 * `asg-deploy/emulator`, `asg-deploy/testing`; `main` points at a file that
 * exists; and the library entry loads neither the emulator nor the CLI's
 * commands' heavy dependencies until asked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const ROOT = new URL('../../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { main: string; exports: Record<string, { import: string; types: string }>; bin: Record<string, string> };

test('main, bin and every export (and its types) exist on disk', () => {
  assert.ok(existsSync(new URL(pkg.main, ROOT)), pkg.main);
  for (const bin of Object.values(pkg.bin)) assert.ok(existsSync(new URL(bin, ROOT)), bin);
  assert.deepEqual(Object.keys(pkg.exports).filter((k) => k !== './package.json').sort(), ['.', './emulator', './testing']);
  for (const [entry, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue;
    assert.ok(existsSync(new URL(target.import, ROOT)), `${entry} → ${target.import}`);
    assert.ok(existsSync(new URL(target.types, ROOT)), `${entry} types → ${target.types}`);
  }
});

test('import "asg-deploy", "asg-deploy/emulator" and "asg-deploy/testing" by name, as the README does', async () => {
  const lib = await import('asg-deploy' as string);
  for (const name of ['roll', 'resume', 'abort', 'bluegreen', 'swap', 'shrink', 'bakeImage', 'bakeAndRoll', 'prune', 'createAwsClients', 'ScaledClock', 'EventLog', 'AsgDeployError', 'exec']) {
    assert.equal(typeof lib[name], 'function', name);
  }
  const emulator = await import('asg-deploy/emulator' as string);
  assert.equal(typeof emulator.startEmulator, 'function');
  const testing = await import('asg-deploy/testing' as string);
  assert.equal(typeof testing.startFleet, 'function');
});

/** The package's own modules a fresh `node` loads for `code`, seen through a module loader hook. */
export function modulesLoadedBy(code: string, cwd = new URL('.', ROOT).pathname): string[] {
  const hook = 'data:text/javascript,export async function load(url, context, next) { if (url.includes("/dist/src/")) process.stderr.write("LOADED " + url + "\\n"); return next(url, context); }';
  const r = spawnSync(process.execPath, ['--no-warnings', '--experimental-loader', hook, '--input-type=module', '-e', code], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length).replace(/^.*\/dist\/src\//, ''));
}

test('the library entry does not load the emulator; the emulator entry does', () => {
  const library = modulesLoadedBy("await import('asg-deploy')");
  assert.ok(library.includes('index.js') && library.some((m) => m.startsWith('deploy/')), library.join(' '));
  assert.deepEqual(library.filter((m) => m.startsWith('emulator/') || m.startsWith('testing/')), []);
  const emulator = modulesLoadedBy("await import('asg-deploy/emulator')");
  assert.ok(emulator.includes('emulator/index.js'), emulator.join(' '));
});
