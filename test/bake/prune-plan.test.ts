import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  belongsToApp,
  describeKeepReason,
  planPrune,
  resolveVersionNumber,
  type KeepReason,
  type PruneImage,
  type PruneInput,
  type PruneTemplate,
} from '../../src/bake/index.js';
import { isAsgDeployError } from '../../src/core/index.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 2, 1, 12);
const LT = 'lt-0aaaaaaaaaaaaaaaa';

/** Image n of app `app`, created n days after 2026-01-01 (higher n = newer). */
function img(n: number, over: Partial<PruneImage> & { app?: string | null } = {}): PruneImage {
  const { app = 'web', ...rest } = over;
  const created = Date.UTC(2026, 0, 1) + n * DAY;
  const stamp = new Date(created).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return {
    imageId: `ami-${String(n).padStart(17, '0')}`,
    name: `web-${stamp}`,
    createdAt: created,
    state: 'available',
    tags: app === null ? {} : { app },
    snapshotIds: [`snap-${String(n).padStart(17, '0')}`],
    ...rest,
  };
}
const id = (n: number) => `ami-${String(n).padStart(17, '0')}`;
const snap = (n: number) => `snap-${String(n).padStart(17, '0')}`;

function template(over: Partial<PruneTemplate> & { images?: Record<number, string | undefined> } = {}): PruneTemplate {
  const { images = {}, ...rest } = over;
  const versions = Object.entries(images).map(([v, imageId]) => ({ version: Number(v), ...(imageId === undefined ? {} : { imageId }) }));
  return { templateId: LT, templateName: 'web-lt', defaultVersion: 1, latestVersion: 1, versions, prunable: true, ...rest };
}

function input(over: Partial<PruneInput> = {}): PruneInput {
  return {
    app: 'web',
    namePrefix: 'web',
    keep: 0,
    now: NOW,
    images: [],
    instances: [],
    groups: [],
    templates: [],
    launchConfigurations: [],
    ...over,
  };
}

const kept = (plan: ReturnType<typeof planPrune>) => plan.keep.map((d) => d.image.imageId).sort();
const deleted = (plan: ReturnType<typeof planPrune>) => plan.delete.map((d) => d.image.imageId).sort();
const reasonsOf = (plan: ReturnType<typeof planPrune>, imageId: string) => plan.images.find((d) => d.image.imageId === imageId)?.reasons.map((r) => r.kind);

// ---------------------------------------------------------------------------
// Which images are the app's

test('ownership: the app tag decides; untagged images count only when named exactly PREFIX-YYYYMMDD-HHMMSS', () => {
  assert.equal(belongsToApp(img(1), 'web', 'web'), true);
  assert.equal(belongsToApp(img(1, { app: 'api' }), 'web', 'web'), false, 'tagged for another app, even with our name');
  assert.equal(belongsToApp(img(1, { app: null }), 'web', 'web'), true, 'legacy: untagged with the baked name');
  assert.equal(belongsToApp(img(1, { app: null, name: 'web-api-20260101-120000' }), 'web', 'web'), false, 'another prefix that starts like ours');
  assert.equal(belongsToApp(img(1, { app: null, name: 'web-20260101-1200' }), 'web', 'web'), false, 'not the timestamp format');
  assert.equal(belongsToApp(img(1, { app: null, name: 'web-20260101-120000-old' }), 'web', 'web'), false);
  assert.equal(belongsToApp(img(1, { app: null, name: 'shop-20260101-120000' }), 'web', 'shop'), true, 'prefix differs from the app');
  assert.equal(belongsToApp(img(1, { name: 'anything at all' }), 'web', 'web'), true, 'tagged: any name');
});

test('only the app\'s images are planned; other apps\' and deregistered images are never touched', () => {
  const plan = planPrune(
    input({
      images: [img(1), img(2, { app: 'api' }), img(3, { app: null, name: 'base-image' }), img(4, { state: 'deregistered' }), img(5, { app: null })],
    }),
  );
  assert.deepEqual(deleted(plan), [id(1), id(5)].sort());
  assert.deepEqual(plan.images.map((d) => d.image.imageId), [id(5), id(1)], 'newest first');
});

// ---------------------------------------------------------------------------
// Newest N and age

test('keep N: the N newest stay with their rank, the rest go', () => {
  const images = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => img(n));
  const plan = planPrune(input({ images, keep: 3 }));
  assert.deepEqual(kept(plan), [id(6), id(7), id(8)].sort());
  assert.deepEqual(deleted(plan), [1, 2, 3, 4, 5].map(id).sort());
  const ranks = plan.keep.map((d) => d.reasons[0]);
  assert.deepEqual(ranks, [
    { kind: 'newest', keep: 3, rank: 1 },
    { kind: 'newest', keep: 3, rank: 2 },
    { kind: 'newest', keep: 3, rank: 3 },
  ]);
});

test('keep 0 keeps nothing by rank; keep above the count keeps all', () => {
  const images = [1, 2, 3].map((n) => img(n));
  assert.equal(planPrune(input({ images, keep: 0 })).delete.length, 3);
  assert.equal(planPrune(input({ images, keep: 10 })).delete.length, 0);
});

test('ties on creation date are broken by name then id, so the plan is deterministic', () => {
  const a = img(1, { imageId: 'ami-0000000000000000a', name: 'web-20260102-000000' });
  const b = img(1, { imageId: 'ami-0000000000000000b', name: 'web-20260102-000001' });
  const c = img(1, { imageId: 'ami-0000000000000000c', name: 'web-20260102-000001' });
  for (const order of [[a, b, c], [c, b, a], [b, a, c]]) {
    const plan = planPrune(input({ images: order, keep: 1 }));
    assert.deepEqual(kept(plan), ['ami-0000000000000000c']);
  }
});

test('failed images do not count toward the newest N and go', () => {
  const images = [img(1), img(2), img(3, { state: 'failed' }), img(4, { state: 'error' })];
  const plan = planPrune(input({ images, keep: 2 }));
  assert.deepEqual(kept(plan), [id(1), id(2)].sort());
  assert.deepEqual(deleted(plan), [id(3), id(4)].sort());
});

test('pending images are kept even with keep 0 (a bake is making them)', () => {
  const plan = planPrune(input({ images: [img(1, { state: 'pending' }), img(2, { state: 'transient' }), img(3)], keep: 0 }));
  assert.deepEqual(kept(plan), [id(1), id(2)].sort());
  assert.deepEqual(reasonsOf(plan, id(1)), ['pending']);
});

test('older-than: younger images stay; one exactly that old goes', () => {
  const images = [img(1), img(50), img(58), img(59)];
  // Ages at day 60: 59, 10, 2 and 1 days.
  const plan = planPrune(input({ images, olderThanMs: 2 * DAY, now: Date.UTC(2026, 0, 1) + 60 * DAY }));
  assert.deepEqual(kept(plan), [id(59)], 'only the 1-day-old image is younger than 2d');
  assert.deepEqual(deleted(plan), [id(1), id(50), id(58)].sort());
  // Exactly 2 days old is not younger than 2 days.
  const exact = planPrune(input({ images: [img(58)], olderThanMs: 2 * DAY, now: img(58).createdAt + 2 * DAY }));
  assert.equal(exact.delete.length, 1);
  const younger = planPrune(input({ images: [img(58)], olderThanMs: 2 * DAY, now: img(58).createdAt + 2 * DAY - 1 }));
  assert.equal(younger.keep.length, 1);
  assert.deepEqual(younger.keep[0]!.reasons[0], { kind: 'younger', olderThanMs: 2 * DAY, ageMs: 2 * DAY - 1 });
});

test('keep and older-than together: an image stays if either holds', () => {
  const base = Date.UTC(2026, 0, 1);
  const images = [1, 2, 3, 4, 5, 6].map((n) => img(n));
  const plan = planPrune(input({ images, keep: 2, olderThanMs: 3.5 * DAY, now: base + 6.5 * DAY }));
  // Newest 2: 6, 5. Younger than 3.5 days at day 6.5: days 4, 5, 6.
  assert.deepEqual(kept(plan), [id(4), id(5), id(6)].sort());
  assert.deepEqual(reasonsOf(plan, id(5)), ['newest', 'younger']);
  assert.deepEqual(reasonsOf(plan, id(4)), ['younger']);
});

// ---------------------------------------------------------------------------
// In use

test('instances: running, stopped, pending, stopping and shutting-down instances hold their image; terminated ones do not', () => {
  const images = [1, 2, 3, 4, 5, 6].map((n) => img(n));
  const plan = planPrune(
    input({
      images,
      instances: [
        { instanceId: 'i-01', imageId: id(1), state: 'running' },
        { instanceId: 'i-02', imageId: id(2), state: 'stopped' },
        { instanceId: 'i-03', imageId: id(3), state: 'pending' },
        { instanceId: 'i-04', imageId: id(4), state: 'stopping' },
        { instanceId: 'i-05', imageId: id(5), state: 'shutting-down' },
        { instanceId: 'i-06', imageId: id(6), state: 'terminated' },
      ],
    }),
  );
  assert.deepEqual(kept(plan), [1, 2, 3, 4, 5].map(id).sort());
  assert.deepEqual(deleted(plan), [id(6)]);
  assert.deepEqual(plan.keep.find((d) => d.image.imageId === id(2))!.reasons, [{ kind: 'instance', instanceId: 'i-02', state: 'stopped' }]);
});

test('groups: a numbered version, $Latest, $Default and no version resolve as EC2 resolves them at launch', () => {
  const images = [1, 2, 3, 4, 5].map((n) => img(n));
  const other: PruneTemplate = { templateId: 'lt-0bbbbbbbbbbbbbbbb', templateName: 'other-lt', defaultVersion: 2, latestVersion: 4, prunable: false, versions: [{ version: 2, imageId: id(1) }, { version: 3, imageId: id(2) }, { version: 4, imageId: id(3) }] };
  const scenarios: [string, { id?: string; name?: string; version: string }, string][] = [
    ['numbered by id', { id: other.templateId, version: '3' }, id(2)],
    ['by name', { name: 'other-lt', version: '3' }, id(2)],
    ['$Latest', { id: other.templateId, version: '$Latest' }, id(3)],
    ['$Default', { id: other.templateId, version: '$Default' }, id(1)],
    ['empty = $Default', { id: other.templateId, version: '' }, id(1)],
  ];
  for (const [what, lt, expected] of scenarios) {
    // Only the group protects here: the template's own default/latest protect too, so compare against a plan without the group.
    const plan = planPrune(input({ images, templates: [other], groups: [{ name: 'web', launchTemplate: lt }] }));
    const reason = plan.keep.flatMap((d) => d.reasons.filter((r) => r.kind === 'group').map((r) => ({ imageId: d.image.imageId, r })));
    assert.equal(reason.length, 1, what);
    assert.equal(reason[0]!.imageId, expected, what);
  }
  assert.equal(resolveVersionNumber(other, '$Latest'), 4);
  assert.equal(resolveVersionNumber(other, undefined), 2);
  assert.equal(resolveVersionNumber(other, 'nonsense'), undefined);
});

test('any template\'s $Default and $Latest hold their images, even when no group uses them', () => {
  const images = [1, 2, 3].map((n) => img(n));
  const other: PruneTemplate = { templateId: 'lt-0bbbbbbbbbbbbbbbb', templateName: 'other-lt', defaultVersion: 5, latestVersion: 9, prunable: false, versions: [{ version: 5, imageId: id(1) }, { version: 9, imageId: id(2) }] };
  const plan = planPrune(input({ images, templates: [other] }));
  assert.deepEqual(kept(plan), [id(1), id(2)].sort());
  assert.deepEqual(plan.keep.find((d) => d.image.imageId === id(1))!.reasons, [{ kind: 'default-version', templateId: other.templateId, templateName: 'other-lt', version: 5 }]);
  assert.deepEqual(plan.keep.find((d) => d.image.imageId === id(2))!.reasons, [{ kind: 'latest-version', templateId: other.templateId, templateName: 'other-lt', version: 9 }]);
  assert.deepEqual(deleted(plan), [id(3)]);
});

test('launch configurations hold their images, used by a group or not', () => {
  const plan = planPrune(input({ images: [img(1), img(2)], launchConfigurations: [{ name: 'lc-old', imageId: id(1) }, { name: 'lc-empty' }] }));
  assert.deepEqual(kept(plan), [id(1)]);
  assert.deepEqual(plan.keep[0]!.reasons, [{ kind: 'launch-configuration', name: 'lc-old' }]);
});

test('an unfinished deploy holds both its versions (the rollback target too)', () => {
  const t = template({ images: { 1: 'ami-base', 2: id(1), 3: id(2), 4: id(3) }, defaultVersion: 1, latestVersion: 4 });
  const plan = planPrune(
    input({
      images: [1, 2, 3].map((n) => img(n)),
      templates: [t],
      groups: [{ name: 'web', launchTemplate: { id: LT, version: '3' }, deploy: { id: 'd-1', templateId: LT, versions: ['2', '3'] } }],
    }),
  );
  assert.deepEqual(reasonsOf(plan, id(1)), ['deploy']);
  assert.deepEqual(reasonsOf(plan, id(2)), ['group', 'deploy']);
  assert.equal(plan.versions.find((v) => v.version === 2)!.action, 'keep');
  assert.match(plan.versions.find((v) => v.version === 2)!.reason, /deploy d-1 on group web/);
});

test('every reason that applies is listed', () => {
  const t = template({ images: { 1: id(3) }, defaultVersion: 1, latestVersion: 1 });
  const plan = planPrune(
    input({
      images: [img(3)],
      keep: 1,
      olderThanMs: 365 * DAY,
      templates: [t],
      groups: [{ name: 'web', launchTemplate: { id: LT, version: '$Default' } }],
      instances: [{ instanceId: 'i-1', imageId: id(3), state: 'running' }],
      launchConfigurations: [{ name: 'lc', imageId: id(3) }],
    }),
  );
  assert.deepEqual(reasonsOf(plan, id(3)), ['newest', 'younger', 'instance', 'group', 'default-version', 'latest-version', 'launch-configuration']);
});

test('a group pointing at a missing template or version protects nothing and is reported', () => {
  const plan = planPrune(
    input({
      images: [img(1)],
      templates: [template({ images: { 1: 'ami-base' } })],
      groups: [
        { name: 'a', launchTemplate: { id: 'lt-0ccccccccccccccccc', version: '1' } },
        { name: 'b', launchTemplate: { id: LT, version: '7' } },
        { name: 'c', launchConfigurationName: 'gone-lc' },
      ],
    }),
  );
  assert.equal(plan.delete.length, 1);
  assert.equal(plan.unresolved.length, 3);
  assert.match(plan.unresolved[1]!, /group b .* version 7, which was not found/);
  assert.match(plan.unresolved[2]!, /launch configuration gone-lc/);
});

// ---------------------------------------------------------------------------
// Snapshots

test('snapshots of deregistered images go, unless an image that stays (any app\'s) still uses them', () => {
  const images = [
    img(1, { snapshotIds: [snap(1), snap(100)] }),
    img(2, { snapshotIds: [snap(2)] }),
    img(3, { snapshotIds: [snap(100)] }), // kept: newest
    img(4, { app: 'api', snapshotIds: [snap(2)] }), // another app's image shares snap 2
    img(5, { state: 'deregistered', snapshotIds: [snap(1)] }), // already gone: holds nothing
  ];
  const plan = planPrune(input({ images, keep: 1 }));
  assert.deepEqual(deleted(plan), [id(1), id(2)].sort());
  assert.deepEqual(plan.snapshots, [
    { snapshotId: snap(2), imageId: id(2), action: 'keep', usedBy: id(4) },
    { snapshotId: snap(1), imageId: id(1), action: 'delete' },
    { snapshotId: snap(100), imageId: id(1), action: 'keep', usedBy: id(3) },
  ]);
});

test('a snapshot shared by two deregistered images is deleted once', () => {
  const plan = planPrune(input({ images: [img(1, { snapshotIds: [snap(9)] }), img(2, { snapshotIds: [snap(9)] })] }));
  assert.deepEqual(plan.snapshots, [{ snapshotId: snap(9), imageId: id(2), action: 'delete' }]);
});

// ---------------------------------------------------------------------------
// Launch template versions

test('versions: deleted only when their image goes or is gone; never the default, $Latest, a pinned or a deploy\'s version', () => {
  const t = template({
    defaultVersion: 3,
    latestVersion: 12,
    images: { 1: 'ami-base', 2: id(1), 3: id(2), 4: id(3), 5: id(4), 6: undefined, 7: 'ami-gone', 8: id(5), 9: id(6), 10: id(7), 11: id(8), 12: id(9) },
  });
  const plan = planPrune(
    input({
      images: [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => img(n)),
      keep: 1, // 9
      templates: [t],
      groups: [
        { name: 'web', launchTemplate: { id: LT, version: '4' } },
        { name: 'web2', deploy: { id: 'd-2', templateId: LT, versions: ['5', '8'] } },
      ],
      instances: [{ instanceId: 'i-1', imageId: id(6), state: 'running' }],
      missingImageIds: ['ami-gone'],
    }),
  );
  const byVersion = Object.fromEntries(plan.versions.map((v) => [v.version, `${v.action}: ${v.reason}`]));
  assert.deepEqual(byVersion, {
    1: 'keep: its image ami-base is not one of web\'s images',
    2: `delete: its image ${id(1)} is deregistered`,
    3: 'keep: default version',
    4: 'keep: used by group web',
    5: 'keep: deploy d-2 on group web2',
    6: 'keep: sets no image',
    7: 'delete: its image ami-gone no longer exists',
    8: 'keep: deploy d-2 on group web2',
    9: `keep: its image ${id(6)} is kept`,
    10: `delete: its image ${id(7)} is deregistered`,
    11: `delete: its image ${id(8)} is deregistered`,
    12: 'keep: latest version ($Latest)',
  });
  assert.deepEqual(kept(plan), [id(2), id(3), id(4), id(5), id(6), id(9)].sort());
});

test('only prunable templates get version decisions', () => {
  const other: PruneTemplate = { ...template({ images: { 1: id(1), 2: id(2), 3: id(3) } }), prunable: false, defaultVersion: 3, latestVersion: 3 };
  const plan = planPrune(input({ images: [img(1), img(2)], templates: [other] }));
  assert.deepEqual(plan.versions, []);
  assert.equal(plan.delete.length, 2, 'non-live versions of other templates do not protect their images');
});

// ---------------------------------------------------------------------------
// Reasons as text, bad input

test('reasons read as the issue words them', () => {
  const text = (r: KeepReason) => describeKeepReason(r);
  assert.equal(text({ kind: 'newest', keep: 5, rank: 2 }), 'newest 5');
  assert.equal(text({ kind: 'instance', instanceId: 'i-0abc', state: 'running' }), 'used by instance i-0abc');
  assert.equal(text({ kind: 'instance', instanceId: 'i-0abc', state: 'stopped' }), 'used by instance i-0abc (stopped)');
  assert.equal(text({ kind: 'group', group: 'web', templateId: LT, templateName: 'web-lt', version: 7 }), 'used by group web (version 7)');
  assert.equal(text({ kind: 'default-version', templateId: LT, templateName: 'web-lt', version: 3 }), 'default version (web-lt version 3)');
  assert.equal(text({ kind: 'latest-version', templateId: LT, templateName: 'web-lt', version: 9 }), 'latest version (web-lt version 9)');
  assert.equal(text({ kind: 'launch-configuration', name: 'lc-web' }), 'launch configuration lc-web');
  assert.equal(text({ kind: 'younger', olderThanMs: 30 * DAY, ageMs: DAY }), 'younger than 30d');
  assert.equal(text({ kind: 'pending', state: 'pending' }), 'still being created (pending)');
  assert.equal(text({ kind: 'deploy', group: 'web', deployId: 'd-1', templateId: LT, templateName: 'web-lt', version: 6 }), 'deploy d-1 on group web (version 6)');
});

test('a negative or fractional keep, or a negative age, is refused naming the value', () => {
  for (const keep of [-1, 1.5, Number.NaN]) {
    assert.throws(() => planPrune(input({ keep })), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && e.message.includes(String(keep)));
  }
  assert.throws(() => planPrune(input({ olderThanMs: -5 })), (e: unknown) => isAsgDeployError(e, 'BAD_INPUT') && e.message.includes('-5'));
});

// ---------------------------------------------------------------------------
// Invariants over many generated accounts

/** Mulberry32: a small seeded generator, so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('over 500 generated accounts: nothing in use is deleted, the newest N always stay, deleted versions are never live', () => {
  for (let seed = 1; seed <= 500; seed++) {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
    const count = 1 + Math.floor(r() * 15);
    const states = ['available', 'available', 'available', 'pending', 'failed'];
    const images = Array.from({ length: count }, (_, i) =>
      img(i + 1, { state: pick(states), app: pick(['web', 'web', 'web', 'api', null]), snapshotIds: [snap(i + 1), ...(r() < 0.2 ? [snap(999)] : [])] }),
    );
    const ids = images.map((i) => i.imageId);
    const versions = Array.from({ length: 1 + Math.floor(r() * 12) }, (_, i) => ({ version: i + 1, ...(r() < 0.9 ? { imageId: pick(ids) } : {}) }));
    const latest = versions.length;
    const t: PruneTemplate = { templateId: LT, templateName: 'web-lt', defaultVersion: 1 + Math.floor(r() * latest), latestVersion: latest, versions, prunable: true };
    const groups = Array.from({ length: Math.floor(r() * 3) }, (_, i) => ({
      name: `g${i}`,
      launchTemplate: { id: LT, version: pick(['$Latest', '$Default', String(1 + Math.floor(r() * latest))]) },
    }));
    const instances = Array.from({ length: Math.floor(r() * 4) }, (_, i) => ({ instanceId: `i-${i}`, imageId: pick(ids), state: pick(['running', 'stopped', 'terminated']) }));
    const launchConfigurations = r() < 0.3 ? [{ name: 'lc', imageId: pick(ids) }] : [];
    const keep = Math.floor(r() * 4);
    const plan = planPrune(input({ images, keep, templates: [t], groups, instances, launchConfigurations }));
    const gone = new Set(plan.delete.map((d) => d.image.imageId));
    const why = `seed ${seed}`;

    for (const i of instances) if (i.state !== 'terminated') assert.ok(!gone.has(i.imageId), `${why}: instance image deleted`);
    for (const g of groups) {
      const n = resolveVersionNumber(t, g.launchTemplate.version)!;
      const image = versions.find((v) => v.version === n)?.imageId;
      if (image) assert.ok(!gone.has(image), `${why}: group image deleted`);
      assert.ok(!plan.versions.some((v) => v.version === n && v.action === 'delete'), `${why}: group version deleted`);
    }
    for (const n of [t.defaultVersion, t.latestVersion]) {
      const image = versions.find((v) => v.version === n)?.imageId;
      if (image) assert.ok(!gone.has(image), `${why}: default/latest image deleted`);
      assert.ok(!plan.versions.some((v) => v.version === n && v.action === 'delete'), `${why}: default/latest version deleted`);
    }
    for (const lc of launchConfigurations) assert.ok(!gone.has(lc.imageId), `${why}: launch configuration image deleted`);
    for (const d of plan.delete) {
      assert.equal(d.reasons.length, 0, why);
      assert.ok(belongsToApp(d.image, 'web', 'web'), `${why}: another app's image deleted`);
      assert.notEqual(d.image.state, 'pending', `${why}: pending image deleted`);
    }
    const good = plan.images.filter((d) => d.image.state !== 'failed').slice(0, keep);
    for (const d of good) assert.equal(d.action, 'keep', `${why}: one of the newest ${keep} deleted`);
    for (const v of plan.versions.filter((x) => x.action === 'delete')) assert.ok(v.imageId !== undefined && gone.has(v.imageId), `${why}: version deleted whose image stays`);
    for (const s of plan.snapshots.filter((x) => x.action === 'delete')) {
      const stillUsed = images.some((i) => !gone.has(i.imageId) && i.snapshotIds.includes(s.snapshotId));
      assert.ok(!stillUsed, `${why}: snapshot ${s.snapshotId} deleted while an image that stays uses it`);
    }
  }
});
