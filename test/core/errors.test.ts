import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsgDeployError, ERROR_CODES, badInput, isAsgDeployError } from '../../src/core/index.js';

test('every catalogued code builds an error with its default fault', () => {
  for (const [code, fault] of Object.entries(ERROR_CODES)) {
    const e = new AsgDeployError(code as keyof typeof ERROR_CODES, 'something is wrong');
    assert.equal(e.code, code);
    assert.equal(e.fault, fault);
    assert.equal(e.name, 'AsgDeployError');
    assert.ok(e instanceof Error);
    assert.ok(AsgDeployError.isAsgDeployError(e));
  }
});

test('the catalogue has the codes the tool relies on', () => {
  for (const code of ['GROUP_NOT_FOUND', 'BAD_INPUT', 'LOCKED', 'THROTTLED', 'ACCESS_DENIED', 'NOT_FOUND', 'AWS_VALIDATION', 'TIMEOUT', 'DEPLOY_FAILED', 'ROLLED_BACK', 'INTERRUPTED']) {
    assert.ok(code in ERROR_CODES, code);
  }
  assert.equal(ERROR_CODES.BAD_INPUT, 'user');
  assert.equal(ERROR_CODES.THROTTLED, 'aws');
  assert.equal(ERROR_CODES.INTERNAL, 'system');
});

test('options: fault override, hint, details, cause', () => {
  const cause = new Error('root');
  const e = new AsgDeployError('NOT_FOUND', 'image "ami-1" not found', { fault: 'system', hint: 'bake it first', details: { imageId: 'ami-1' }, cause });
  assert.equal(e.fault, 'system');
  assert.equal(e.hint, 'bake it first');
  assert.deepEqual(e.details, { imageId: 'ami-1' });
  assert.equal(e.cause, cause);
  assert.deepEqual(JSON.parse(JSON.stringify(e)), {
    code: 'NOT_FOUND',
    fault: 'system',
    message: 'image "ami-1" not found',
    hint: 'bake it first',
    details: { imageId: 'ami-1' },
  });
});

test('no hint, details or cause when not given', () => {
  const e = new AsgDeployError('LOCKED', 'group "web" is locked by deploy d-1');
  assert.equal('hint' in e, false);
  assert.equal('details' in e, false);
  assert.equal(e.cause, undefined);
  assert.deepEqual(e.toJSON(), { code: 'LOCKED', fault: 'user', message: 'group "web" is locked by deploy d-1' });
});

test('isAsgDeployError: brand, not shape; optional code', () => {
  const e = badInput('invalid --max-surge "x"');
  assert.equal(e.code, 'BAD_INPUT');
  assert.ok(isAsgDeployError(e));
  assert.ok(isAsgDeployError(e, 'BAD_INPUT'));
  assert.equal(isAsgDeployError(e, 'TIMEOUT'), false);
  assert.equal(isAsgDeployError(new Error('x')), false);
  assert.equal(isAsgDeployError({ code: 'BAD_INPUT', fault: 'user', message: 'x' }), false);
  assert.equal(isAsgDeployError(null), false);
  assert.equal(isAsgDeployError('BAD_INPUT'), false);
  // Another copy of the module shares the brand (Symbol.for).
  const foreign = Object.assign(new Error('x'), { [Symbol.for('asg-deploy.AsgDeployError')]: true });
  assert.ok(isAsgDeployError(foreign));
});
