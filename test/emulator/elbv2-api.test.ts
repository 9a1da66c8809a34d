/**
 * ELBv2's API surface through the real SDK v3 client over HTTP: shapes,
 * AWS's errors, pagination, tags, load balancer and listener lifecycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DescribeSubnetsCommand, DescribeVpcsCommand, DescribeImagesCommand, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  paginateDescribeTargetGroups,
  type CreateTargetGroupCommandInput,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator.js';

interface Network {
  vpcId: string;
  subnetIds: string[];
}

async function defaultNetwork(t: TestEmulator): Promise<Network> {
  const vpcs = await t.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
  const vpcId = vpcs.Vpcs![0]!.VpcId!;
  const subnets = await t.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }));
  return { vpcId, subnetIds: subnets.Subnets!.map((s) => s.SubnetId!) };
}

async function withEmulator(fn: (t: TestEmulator, net: Network) => Promise<void>): Promise<void> {
  const t = await startTestEmulator();
  try {
    await fn(t, await defaultNetwork(t));
  } finally {
    await t.close();
  }
}

/** Asserts the promise fails with the AWS error `name` (the SDK's exception name) and a message matching `message`. */
async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.equal(e.name, name, `error name (message: ${e.message})`);
    if (message) assert.match(e.message, message);
    return true;
  });
}

function tgInput(net: Network, Name: string, extra: Partial<CreateTargetGroupCommandInput> = {}): CreateTargetGroupCommandInput {
  return { Name, Protocol: 'HTTP', Port: 80, VpcId: net.vpcId, ...extra };
}

test('CreateTargetGroup answers AWS defaults for an HTTP instance target group', () =>
  withEmulator(async (t, net) => {
    const out = await t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'defaults')));
    const tg = out.TargetGroups![0]!;
    assert.match(tg.TargetGroupArn!, /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\/defaults\/[0-9a-f]{16}$/);
    assert.deepEqual(
      {
        protocol: tg.Protocol,
        port: tg.Port,
        vpc: tg.VpcId,
        type: tg.TargetType,
        hcProtocol: tg.HealthCheckProtocol,
        hcPort: tg.HealthCheckPort,
        hcEnabled: tg.HealthCheckEnabled,
        interval: tg.HealthCheckIntervalSeconds,
        timeout: tg.HealthCheckTimeoutSeconds,
        healthy: tg.HealthyThresholdCount,
        unhealthy: tg.UnhealthyThresholdCount,
        path: tg.HealthCheckPath,
        matcher: tg.Matcher?.HttpCode,
        lbs: tg.LoadBalancerArns,
      },
      {
        protocol: 'HTTP',
        port: 80,
        vpc: net.vpcId,
        type: 'instance',
        hcProtocol: 'HTTP',
        hcPort: 'traffic-port',
        hcEnabled: true,
        interval: 30,
        timeout: 6, // E-45: AWS's HTTP default (CreateTargetGroup API reference)
        healthy: 5,
        unhealthy: 2,
        path: '/',
        matcher: '200',
        lbs: [],
      },
    );
    const attrs = await t.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }));
    const map = new Map(attrs.Attributes!.map((a) => [a.Key, a.Value]));
    assert.equal(map.get('deregistration_delay.timeout_seconds'), '300');
    assert.equal(map.get('stickiness.enabled'), 'false');
    assert.equal(map.get('stickiness.type'), 'lb_cookie');

    // Same name, same settings: the same group (idempotent); different settings: DuplicateTargetGroupName.
    const again = await t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'defaults')));
    assert.equal(again.TargetGroups![0]!.TargetGroupArn, tg.TargetGroupArn);
    await rejectsWith(t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'defaults', { Port: 8080 }))), 'DuplicateTargetGroupNameException', /defaults/);
  }));

test('CreateTargetGroup / ModifyTargetGroup reject bad values with ValidationError', () =>
  withEmulator(async (t, net) => {
    const bad: [string, Partial<CreateTargetGroupCommandInput>, RegExp][] = [
      ['a'.repeat(33), {}, /32/],
      ['bad_name', {}, /alphanumeric/],
      ['-edge', {}, /begin or end/],
      ['thr-low', { HealthyThresholdCount: 1 }, /healthyThresholdCount/],
      ['thr-high', { UnhealthyThresholdCount: 11 }, /unhealthyThresholdCount/],
      ['int-low', { HealthCheckIntervalSeconds: 4 }, /healthCheckIntervalSeconds/],
      ['int-high', { HealthCheckIntervalSeconds: 301 }, /healthCheckIntervalSeconds/],
      ['timeout', { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10 }, /must be smaller than the interval/],
      ['port', { Port: 70000 }, /port/i],
      ['path', { HealthCheckPath: 'health' }, /\//],
      ['matcher', { Matcher: { HttpCode: '600' } }, /HTTP code/],
      ['no-vpc', { VpcId: 'vpc-0000000000000000f' }, /not found/],
    ];
    for (const [name, extra, message] of bad) {
      await rejectsWith(t.elb.send(new CreateTargetGroupCommand(tgInput(net, name, extra))), 'ValidationError', message);
    }
    const out = await t.elb.send(new DescribeTargetGroupsCommand({}));
    assert.deepEqual(out.TargetGroups, [], 'nothing was created');

    const created = await t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'ok')));
    const arn = created.TargetGroups![0]!.TargetGroupArn!;
    await rejectsWith(t.elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthyThresholdCount: 11 })), 'ValidationError', /healthyThresholdCount/);
    const modified = await t.elb.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckPath: '/health', UnhealthyThresholdCount: 3 }));
    assert.equal(modified.TargetGroups![0]!.HealthCheckPath, '/health');
    assert.equal(modified.TargetGroups![0]!.UnhealthyThresholdCount, 3);
    assert.equal(modified.TargetGroups![0]!.HealthyThresholdCount, 5, 'members not given keep their value');
  }));

test('ModifyTargetGroupAttributes validates keys and values and returns every attribute', () =>
  withEmulator(async (t, net) => {
    const arn = (await t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'attrs')))).TargetGroups![0]!.TargetGroupArn!;
    const set = (Key: string, Value: string) => t.elb.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key, Value }] }));
    await rejectsWith(set('deregistration_delay.timeout_seconds', '3601'), 'ValidationError', /0-3600/);
    await rejectsWith(set('deregistration_delay.timeout_seconds', '-1'), 'ValidationError', /0-3600/);
    await rejectsWith(set('no.such.key', '1'), 'ValidationError', /not recognized/);
    await rejectsWith(set('stickiness.enabled', 'yes'), 'ValidationError', /true, false/);
    const out = await set('deregistration_delay.timeout_seconds', '0');
    const map = new Map(out.Attributes!.map((a) => [a.Key, a.Value]));
    assert.equal(map.get('deregistration_delay.timeout_seconds'), '0');
    assert.equal(map.get('stickiness.type'), 'lb_cookie', 'the answer lists every attribute');
    await rejectsWith(
      t.elb.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn.replace(/[0-9a-f]{16}$/, 'ffffffffffffffff') })),
      'TargetGroupNotFoundException',
      /One or more target groups not found/,
    );
  }));

test('not found, in use and invalid target errors', () =>
  withEmulator(async (t, net) => {
    const missingArn = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/missing/0123456789abcdef';
    await rejectsWith(t.elb.send(new DescribeTargetGroupsCommand({ Names: ['missing'] })), 'TargetGroupNotFoundException', /One or more target groups not found/);
    await rejectsWith(t.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [missingArn] })), 'TargetGroupNotFoundException');
    await rejectsWith(t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: missingArn })), 'TargetGroupNotFoundException');
    await rejectsWith(t.elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: 'nonsense' })), 'ValidationError', /not a valid target group ARN/);
    await rejectsWith(t.elb.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })), 'LoadBalancerNotFoundException', /nope/);
    await rejectsWith(
      t.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: ['arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/nope/0123456789abcdef'] })),
      'LoadBalancerNotFoundException',
    );

    const tgArn = (await t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'used')))).TargetGroups![0]!.TargetGroupArn!;
    const lbArn = (await t.elb.send(new CreateLoadBalancerCommand({ Name: 'used-lb', Subnets: net.subnetIds }))).LoadBalancers![0]!.LoadBalancerArn!;
    const listenerArn = (
      await t.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }))
    ).Listeners![0]!.ListenerArn!;
    await rejectsWith(t.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn })), 'ResourceInUseException', /in use/);
    await rejectsWith(
      t.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }] })),
      'DuplicateListenerException',
    );
    await rejectsWith(
      t.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: 81, DefaultActions: [{ Type: 'forward', TargetGroupArn: missingArn }] })),
      'TargetGroupNotFoundException',
    );

    // Instances: unknown → InvalidTarget; not running → the AWS message naming it.
    await rejectsWith(t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: 'i-0123456789abcdef0' }] })), 'InvalidTargetException');
    const images = await t.ec2.send(new DescribeImagesCommand({ Owners: ['amazon'] }));
    const run = await t.ec2.send(new RunInstancesCommand({ ImageId: images.Images![0]!.ImageId, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }));
    const id = run.Instances![0]!.InstanceId!;
    await rejectsWith(
      t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] })),
      'InvalidTargetException',
      new RegExp(`The following targets are not in a running state and cannot be registered: '${id}'`),
    );
    t.advance(60);
    await t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id }] }));
    await t.ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    t.advance(60);
    await rejectsWith(t.elb.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: id, Port: 8080 }] })), 'InvalidTargetException', /not in a running state/);

    // Deleting the listener frees the group; deleting twice is fine, as on AWS.
    await t.elb.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
    await rejectsWith(t.elb.send(new DeleteListenerCommand({ ListenerArn: listenerArn })), 'ListenerNotFoundException');
    await t.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    await t.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
    await rejectsWith(t.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] })), 'TargetGroupNotFoundException');
    const gone = t.history().filter((e) => e.type === 'target' && e.targetGroupArn === tgArn && e.to === null);
    assert.equal(gone.length, 1, 'the deleted group’s target is recorded as gone');
  }));

test('pagination: Marker/PageSize over target groups, load balancers and listeners', () =>
  withEmulator(async (t, net) => {
    const names = ['tg-e', 'tg-a', 'tg-g', 'tg-c', 'tg-b', 'tg-f', 'tg-d'];
    for (const name of names) await t.elb.send(new CreateTargetGroupCommand(tgInput(net, name)));

    const pages: string[][] = [];
    let marker: string | undefined;
    do {
      const out = await t.elb.send(new DescribeTargetGroupsCommand({ PageSize: 3, Marker: marker }));
      pages.push(out.TargetGroups!.map((tg) => tg.TargetGroupName!));
      marker = out.NextMarker;
    } while (marker);
    assert.deepEqual(pages, [['tg-a', 'tg-b', 'tg-c'], ['tg-d', 'tg-e', 'tg-f'], ['tg-g']]);

    const viaPaginator: string[] = [];
    for await (const page of paginateDescribeTargetGroups({ client: t.elb, pageSize: 2 }, {})) {
      viaPaginator.push(...page.TargetGroups!.map((tg) => tg.TargetGroupName!));
    }
    assert.deepEqual(viaPaginator, [...names].sort());

    const all = await t.elb.send(new DescribeTargetGroupsCommand({}));
    assert.equal(all.TargetGroups!.length, 7);
    assert.equal(all.NextMarker, undefined);
    await rejectsWith(t.elb.send(new DescribeTargetGroupsCommand({ PageSize: 0 })), 'ValidationError', /pageSize|PageSize/);
    await rejectsWith(t.elb.send(new DescribeTargetGroupsCommand({ PageSize: 401 })), 'ValidationError');
    await rejectsWith(t.elb.send(new DescribeTargetGroupsCommand({ Marker: 'not-a-marker' })), 'ValidationError', /marker/i);

    for (const n of [1, 2, 3]) await t.elb.send(new CreateLoadBalancerCommand({ Name: `lb-${n}`, Subnets: net.subnetIds }));
    const lbPage = await t.elb.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
    assert.deepEqual(lbPage.LoadBalancers!.map((lb) => lb.LoadBalancerName), ['lb-1', 'lb-2']);
    const lbRest = await t.elb.send(new DescribeLoadBalancersCommand({ PageSize: 2, Marker: lbPage.NextMarker }));
    assert.deepEqual(lbRest.LoadBalancers!.map((lb) => lb.LoadBalancerName), ['lb-3']);
    assert.equal(lbRest.NextMarker, undefined);

    const lbArn = lbPage.LoadBalancers![0]!.LoadBalancerArn!;
    for (const port of [8080, 80, 443 - 1]) {
      await t.elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }] }));
    }
    const l1 = await t.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn, PageSize: 2 }));
    const l2 = await t.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn, PageSize: 2, Marker: l1.NextMarker }));
    assert.deepEqual([...l1.Listeners!, ...l2.Listeners!].map((l) => l.Port), [80, 442, 8080]);
  }));

test('load balancers: provisioning → active, attributes, listeners, target groups by load balancer, delete', () =>
  withEmulator(async (t, net) => {
    const created = await t.elb.send(new CreateLoadBalancerCommand({ Name: 'front', Subnets: net.subnetIds, Tags: [{ Key: 'team', Value: 'web' }] }));
    const lb = created.LoadBalancers![0]!;
    assert.match(lb.LoadBalancerArn!, /^arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer\/app\/front\/[0-9a-f]{16}$/);
    assert.match(lb.DNSName!, /^front-\d+\.us-east-1\.elb\.amazonaws\.com$/);
    assert.equal(lb.State?.Code, 'provisioning');
    assert.equal(lb.Type, 'application');
    assert.equal(lb.Scheme, 'internet-facing');
    assert.equal(lb.VpcId, net.vpcId);
    assert.equal(lb.AvailabilityZones!.length, net.subnetIds.length);
    assert.ok(lb.CreatedTime instanceof Date);

    t.advance(60);
    const described = await t.elb.send(new DescribeLoadBalancersCommand({ Names: ['front'] }));
    assert.equal(described.LoadBalancers![0]!.State?.Code, 'active');

    const attrs = await t.elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    const map = new Map(attrs.Attributes!.map((a) => [a.Key, a.Value]));
    assert.equal(map.get('deletion_protection.enabled'), 'false');
    assert.equal(map.get('idle_timeout.timeout_seconds'), '60');

    await rejectsWith(t.elb.send(new CreateLoadBalancerCommand({ Name: 'one-subnet', Subnets: net.subnetIds.slice(0, 1) })), 'ValidationError', /two different Availability Zones/);
    await rejectsWith(t.elb.send(new CreateLoadBalancerCommand({ Name: 'ghost', Subnets: ['subnet-0000000000000000f', net.subnetIds[0]!] })), 'SubnetNotFoundException');

    const tgArn = (await t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'front-tg')))).TargetGroups![0]!.TargetGroupArn!;
    const listener = (
      await t.elb.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }))
    ).Listeners![0]!;
    assert.match(listener.ListenerArn!, /^arn:aws:elasticloadbalancing:us-east-1:123456789012:listener\/app\/front\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    assert.equal(listener.DefaultActions![0]!.TargetGroupArn, tgArn);
    assert.equal(listener.DefaultActions![0]!.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn, tgArn);

    const byLb = await t.elb.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    assert.deepEqual(byLb.TargetGroups!.map((tg) => [tg.TargetGroupName, tg.LoadBalancerArns]), [['front-tg', [lb.LoadBalancerArn]]]);
    const listeners = await t.elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }));
    assert.equal(listeners.Listeners![0]!.Port, 80);

    await t.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await t.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    await rejectsWith(t.elb.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] })), 'ListenerNotFoundException');
    const tgAfter = await t.elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgArn] }));
    assert.deepEqual(tgAfter.TargetGroups![0]!.LoadBalancerArns, [], 'the group is no longer used');
    await t.elb.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgArn }));
  }));

test('tags: AddTags, DescribeTags, RemoveTags on load balancers and target groups', () =>
  withEmulator(async (t, net) => {
    const tgArn = (await t.elb.send(new CreateTargetGroupCommand(tgInput(net, 'tagged', { Tags: [{ Key: 'env', Value: 'test' }] })))).TargetGroups![0]!.TargetGroupArn!;
    const lbArn = (await t.elb.send(new CreateLoadBalancerCommand({ Name: 'tagged-lb', Subnets: net.subnetIds }))).LoadBalancers![0]!.LoadBalancerArn!;
    await t.elb.send(new AddTagsCommand({ ResourceArns: [tgArn, lbArn], Tags: [{ Key: 'owner', Value: 'me' }] }));
    await t.elb.send(new AddTagsCommand({ ResourceArns: [tgArn], Tags: [{ Key: 'env', Value: 'prod' }] }));
    const out = await t.elb.send(new DescribeTagsCommand({ ResourceArns: [tgArn, lbArn] }));
    assert.deepEqual(
      out.TagDescriptions!.map((d) => [d.ResourceArn, d.Tags!.map((tag) => `${tag.Key}=${tag.Value}`)]),
      [
        [tgArn, ['env=prod', 'owner=me']],
        [lbArn, ['owner=me']],
      ],
    );
    await t.elb.send(new RemoveTagsCommand({ ResourceArns: [tgArn], TagKeys: ['env'] }));
    const after = await t.elb.send(new DescribeTagsCommand({ ResourceArns: [tgArn] }));
    assert.deepEqual(after.TagDescriptions![0]!.Tags!.map((tag) => tag.Key), ['owner']);

    await rejectsWith(
      t.elb.send(new AddTagsCommand({ ResourceArns: [tgArn], Tags: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] })),
      'DuplicateTagKeysException',
    );
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    await rejectsWith(t.elb.send(new AddTagsCommand({ ResourceArns: [lbArn], Tags: many })), 'TooManyTagsException');
    await rejectsWith(
      t.elb.send(new DescribeTagsCommand({ ResourceArns: [lbArn.replace(/[0-9a-f]{16}$/, '0123456789abcdef')] })),
      'LoadBalancerNotFoundException',
    );
  }));
