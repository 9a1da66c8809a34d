import { test } from 'node:test';
import { happyPath, SURGES } from './happy.js';

// N = 1 and 6 × surge 1, 25 %, 100 % (N = 20 is in roll-happy-20.test.ts, so the two run in parallel).
for (const size of [1, 6]) {
  for (const { label, surge } of SURGES) {
    test(`roll N=${size} with ${label}: succeeded, all on the target version, group restored, floor and surge cap held`, async () => {
      await happyPath({ size, surge, label });
    });
  }
}
