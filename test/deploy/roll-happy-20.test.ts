import { test } from 'node:test';
import { happyPath, SURGES } from './happy.js';

for (const { label, surge } of SURGES) {
  test(`roll N=20 with ${label}: succeeded, all on the target version, group restored, floor and surge cap held`, async () => {
    await happyPath({ size: 20, surge, label }, 400);
  });
}
