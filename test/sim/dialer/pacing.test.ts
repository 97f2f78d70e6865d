import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dialsToPlace, type PacingInput } from '../../../main/sim/dialer/pacing.ts';

const base: PacingInput = { semantics: 'perAvailableAgent', ratio: 2.5, ready: 3, talking: 10, ringing: 2, queued: 1 };

test('per available agent: round(r·READY) − ringing − queued, talking agents ignored', () => {
  assert.equal(dialsToPlace(base), 8 - 2 - 1); // round(7.5) = 8
  assert.equal(dialsToPlace({ ...base, talking: 0 }), 5);
  assert.equal(dialsToPlace({ ...base, ratio: 2.4 }), 7 - 3); // round(7.2) = 7
  assert.equal(dialsToPlace({ ...base, ready: 0 }), 0, 'never negative');
});

test('per staffed agent: talking agents count in the target and their lines are subtracted', () => {
  const p: PacingInput = { ...base, semantics: 'perStaffedAgent', ratio: 1.3 };
  assert.equal(dialsToPlace(p), Math.round(1.3 * 13) - 2 - 1 - 10); // 17 − 13 = 4
  assert.equal(dialsToPlace({ ...p, ratio: 1 }), 0, 'progressive with 3 ready and 3 lines busy');
});

test('trunk cap and per-tick limit only ever lower the count', () => {
  assert.equal(dialsToPlace({ ...base, trunkCap: 15 }), 15 - 2 - 1 - 10);
  assert.equal(dialsToPlace({ ...base, trunkCap: 100 }), 5);
  assert.equal(dialsToPlace({ ...base, trunkCap: 5 }), 0);
  assert.equal(dialsToPlace({ ...base, maxDialsPerTick: 2 }), 2);
});
