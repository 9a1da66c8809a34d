import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeDesiredLowering } from '../../src/core/index.js';

test('a lowering that only cancels an owed launch is held when the group could place it and then remove a serving instance at the floor', () => {
  // The rollback's restore: 3 serving at a floor of 3, desired 4 with the 4th launch owed.
  assert.equal(safeDesiredLowering({ current: 4, proposed: 3, active: 3, serving: 3, floor: 3, launchesFailing: false }), 4);
});

test('a lowering with a launching instance in the group is held: the group may pick a serving instance instead of it', () => {
  assert.equal(safeDesiredLowering({ current: 4, proposed: 3, active: 4, serving: 3, floor: 3, launchesFailing: false }), 4);
});

test('a lowering goes through when every instance the group could remove may serve and the floor still holds', () => {
  assert.equal(safeDesiredLowering({ current: 4, proposed: 3, active: 4, serving: 4, floor: 3, launchesFailing: false }), 3);
  // A floor under 100 %: spare serving instances allow the whole lowering.
  assert.equal(safeDesiredLowering({ current: 8, proposed: 6, active: 8, serving: 6, floor: 4, launchesFailing: false }), 6);
});

test('a lowering is cut to what the floor allows, not dropped altogether', () => {
  assert.equal(safeDesiredLowering({ current: 8, proposed: 6, active: 8, serving: 6, floor: 5, launchesFailing: false }), 7);
});

test('raising desired, or a group whose launches are failing, is never held', () => {
  assert.equal(safeDesiredLowering({ current: 3, proposed: 4, active: 3, serving: 3, floor: 3, launchesFailing: false }), 4);
  assert.equal(safeDesiredLowering({ current: 4, proposed: 3, active: 3, serving: 3, floor: 3, launchesFailing: true }), 3);
});

test('never above the current desired, even when the group already holds more instances than it', () => {
  assert.equal(safeDesiredLowering({ current: 4, proposed: 3, active: 6, serving: 3, floor: 3, launchesFailing: false }), 4);
});
