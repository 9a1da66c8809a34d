/**
 * E-12 launch templates resolved at launch, failed launches retried with
 * backoff (and other AZs tried), and E-13 tag propagation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateOrUpdateTagsCommand, SetDesiredCapacityCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { CreateImageCommand, DescribeImagesCommand, DescribeInstancesCommand, ModifyLaunchTemplateCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { activitiesOf, createGroup, describeGroup, entries, newTemplateVersion, startWorld, waitInService, type AsgWorld } from './autoscaling-fixtures.test.js';

async function imageOf(w: AsgWorld, instanceId: string): Promise<string> {
  const out = await w.t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return out.Reservations![0]!.Instances![0]!.ImageId!;
}

async function otherImage(w: AsgWorld): Promise<string> {
  const images = await w.t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
  return images.Images!.find((i) => i.Architecture === 'x86_64' && i.ImageId !== w.imageId)!.ImageId!;
}

test('E-12: $Latest, $Default and numbers are resolved at launch; each instance reports its version and image', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'latest', { DesiredCapacity: 1, LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Latest' } });
    await createGroup(w, 'default', { DesiredCapacity: 1, LaunchTemplate: { LaunchTemplateName: 'web', Version: '$Default' } });
    await createGroup(w, 'pinned', { DesiredCapacity: 1, LaunchTemplate: { LaunchTemplateId: w.templateId, Version: '1' } });
    for (const g of ['latest', 'default', 'pinned']) await waitInService(w, g, 1);

    const image2 = await otherImage(w);
    assert.equal(await newTemplateVersion(w, image2), 2);
    for (const g of ['latest', 'default', 'pinned']) await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: g, DesiredCapacity: 2 }));
    t.advance(1);
    const versions = async (g: string) => (await describeGroup(w, g)).Instances!.map((i) => i.LaunchTemplate!.Version).sort();
    assert.deepEqual(await versions('latest'), ['1', '2']);
    assert.deepEqual(await versions('default'), ['1', '1']);
    assert.deepEqual(await versions('pinned'), ['1', '1']);
    const latest = (await describeGroup(w, 'latest')).Instances!.find((i) => i.LaunchTemplate!.Version === '2')!;
    assert.equal(await imageOf(w, latest.InstanceId!), image2, 'EC2 reports the image the version named');
    assert.equal(latest.LaunchTemplate!.LaunchTemplateName, 'web');
    assert.equal(latest.LaunchTemplate!.LaunchTemplateId, w.templateId);
    // The group still names the template as it was given.
    assert.deepEqual((await describeGroup(w, 'latest')).LaunchTemplate, { LaunchTemplateId: w.templateId, LaunchTemplateName: 'web', Version: '$Latest' });

    await t.ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: w.templateId, DefaultVersion: '2' }));
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'default', DesiredCapacity: 3 }));
    t.advance(1);
    assert.deepEqual(await versions('default'), ['1', '1', '2']);
    assert.deepEqual(
      entries(w, 'group').filter((e) => e.group === 'pinned' && e.field === 'LaunchTemplate').map((e) => e.to),
      [{ LaunchTemplateId: w.templateId, LaunchTemplateName: 'web', Version: '1' }],
    );
  } finally {
    await w.t.close();
  }
});

test('E-12: a launch from an image that is not available fails, is retried with backoff, and succeeds once it is', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const run = await t.ec2.send(new RunInstancesCommand({ ImageId: w.imageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    const source = run.Instances![0]!.InstanceId!;
    t.advance(40);
    const baked = await t.ec2.send(new CreateImageCommand({ InstanceId: source, Name: 'app-baked', NoReboot: true }));
    const imageId = baked.ImageId!;
    const version = await newTemplateVersion(w, imageId);
    const start = t.emu.sim.now;
    await createGroup(w, 'g', { DesiredCapacity: 1, LaunchTemplate: { LaunchTemplateId: w.templateId, Version: String(version) } });
    await waitInService(w, 'g', 1, 900);

    const available = entries(w, 'image').find((e) => e.imageId === imageId && e.to === 'available')!;
    const activities = (await activitiesOf(w, 'g')).reverse();
    const failed = activities.filter((a) => a.StatusCode === 'Failed');
    assert.ok(failed.length >= 2, 'several attempts failed while the image was pending');
    for (const a of failed) {
      assert.match(a.Description!, /^Launching a new EC2 instance\.  Status Reason: .+\. Launching EC2 instance failed\.$/);
      assert.ok(a.StatusMessage && a.Description!.includes(a.StatusMessage.replace(/\.$/, '')), 'the EC2 error is the status message');
      assert.ok(a.StartTime!.getTime() < available.t);
      assert.equal(a.EndTime!.getTime(), a.StartTime!.getTime());
    }
    const gaps = failed.slice(1).map((a, i) => (a.StartTime!.getTime() - failed[i]!.StartTime!.getTime()) / 1000);
    assert.deepEqual(gaps, [10, 20, 40].slice(0, gaps.length), 'backoff doubles from 10 s');
    assert.equal(failed[0]!.StartTime!.getTime(), start + 1_000);
    const success = activities.find((a) => a.StatusCode === 'Successful')!;
    assert.ok(success.StartTime!.getTime() >= available.t, 'the successful launch came after the image was available');
    assert.ok(success.StartTime!.getTime() - available.t <= 80_000, 'within one backoff step');
    const instance = (await describeGroup(w, 'g')).Instances![0]!;
    assert.equal(await imageOf(w, instance.InstanceId!), imageId);
    assert.equal(instance.LaunchTemplate!.Version, String(version));
  } finally {
    await w.t.close();
  }
});

test('E-12: when one AZ cannot launch, the group launches in the others and retries that AZ later', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    const [a, b, c] = w.zones as [string, string, string];
    t.emu.sim.faults.launchFailures.set(a, 'InsufficientInstanceCapacity');
    await createGroup(w, 'g', { DesiredCapacity: 3 });
    t.advance(1);
    let group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.length, 3, 'desired met from the other AZs');
    assert.equal(group.Instances!.filter((i) => i.AvailabilityZone === a).length, 0);
    assert.deepEqual([b, c].map((z) => group.Instances!.filter((i) => i.AvailabilityZone === z).length).sort(), [1, 2]);
    const failed = (await activitiesOf(w, 'g')).filter((x) => x.StatusCode === 'Failed');
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.StatusMessage!, new RegExp(`capacity in the Availability Zone you requested \\(${a}\\)`));
    assert.equal(JSON.parse(failed[0]!.Details!)['Availability Zone'], a);

    // The AZ recovers; the next launch that needs it goes there.
    t.emu.sim.faults.launchFailures.delete(a);
    t.advance(20);
    await t.asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 4 }));
    t.advance(1);
    group = await describeGroup(w, 'g');
    assert.equal(group.Instances!.filter((i) => i.AvailabilityZone === a).length, 1);
  } finally {
    await w.t.close();
  }
});

test('E-13: tags with PropagateAtLaunch go onto instances launched after they are set, with aws:autoscaling:groupName', async () => {
  const w = await startWorld();
  try {
    const { t } = w;
    await createGroup(w, 'g', { DesiredCapacity: 1, Tags: [{ Key: 'app', Value: 'shop', PropagateAtLaunch: true }] });
    const first = (await waitInService(w, 'g', 1)).Instances![0]!.InstanceId!;
    await t.asg.send(
      new CreateOrUpdateTagsCommand({
        Tags: [
          { ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: 'version', Value: '2', PropagateAtLaunch: true },
          { ResourceId: 'g', ResourceType: 'auto-scaling-group', Key: 'private', Value: 'x', PropagateAtLaunch: false },
        ],
      }),
    );
    await t.asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: 'g', DesiredCapacity: 2 }));
    t.advance(1);
    const second = (await describeGroup(w, 'g')).Instances!.find((i) => i.InstanceId !== first)!.InstanceId!;
    const tagsOf = async (id: string) => {
      const out = await t.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      const tags = (out.Reservations![0]!.Instances![0]!.Tags ?? []).filter((tag) => !tag.Key!.startsWith('aws:ec2launchtemplate:'));
      return Object.fromEntries(tags.map((tag) => [tag.Key!, tag.Value!]));
    };
    assert.deepEqual(await tagsOf(first), { app: 'shop', 'aws:autoscaling:groupName': 'g' });
    assert.deepEqual(await tagsOf(second), { app: 'shop', version: '2', 'aws:autoscaling:groupName': 'g' });
  } finally {
    await w.t.close();
  }
});
