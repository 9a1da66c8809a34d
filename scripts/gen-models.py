#!/usr/bin/env python3
"""Trim botocore's service models to what the emulator's protocol codec needs.

Reads `botocore/data/<service>/<version>/service-2.json.gz` from the installed
botocore and writes `src/emulator/protocol/models/<name>.json`: the operations
the emulator serves, every shape reachable from their inputs, outputs and
errors, and only the traits the codec reads (names on the wire, required
members, the cheap validation constraints, result wrappers). Documentation is
dropped. The output is committed, so the emulator never needs Python at run
time; rerun with `npm run gen:models` after changing the operation lists.

See docs/emulator.md "Wire".
"""

import gzip
import json
import os
import sys

import botocore

# Every operation of a service (Auto Scaling, ELBv2 and CloudWatch are small).
ALL = None

OPERATIONS = {
    'autoscaling': ('autoscaling', '2011-01-01', ALL),
    'ec2': ('ec2', '2016-11-15', [
        'RunInstances', 'DescribeInstances', 'DescribeInstanceStatus', 'TerminateInstances',
        'StopInstances', 'StartInstances', 'CreateTags', 'DeleteTags', 'DescribeTags',
        'CreateImage', 'RegisterImage', 'DescribeImages', 'DeregisterImage',
        'DescribeSnapshots', 'DeleteSnapshot', 'CreateLaunchTemplate',
        'CreateLaunchTemplateVersion', 'DescribeLaunchTemplates',
        'DescribeLaunchTemplateVersions', 'ModifyLaunchTemplate', 'DeleteLaunchTemplate',
        'DeleteLaunchTemplateVersions', 'DescribeAvailabilityZones', 'DescribeVpcs',
        'DescribeSubnets', 'DescribeSecurityGroups', 'DescribeRegions',
        'DescribeAccountAttributes', 'DescribeKeyPairs', 'DescribeInstanceTypes',
        # What Ansible's amazon.aws modules and the AWS CLI call around a fleet.
        'DescribeImageAttribute', 'ModifyImageAttribute', 'DescribeVpcAttribute',
        'DescribeVpcClassicLink', 'DescribeVpcClassicLinkDnsSupport', 'DescribeInstanceAttribute',
        'DescribeNetworkInterfaces', 'DescribeVolumes', 'DescribeLaunchTemplateVersions',
        'CreateSecurityGroup', 'DeleteSecurityGroup', 'AuthorizeSecurityGroupIngress',
        'RevokeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupEgress',
        'DescribeSecurityGroupRules', 'CreateKeyPair', 'DeleteKeyPair', 'ImportKeyPair',
        'DescribeInternetGateways', 'DescribeRouteTables', 'DescribeInstanceTypeOfferings',
        'CopyImage', 'CreateSnapshot', 'DescribeImportImageTasks', 'GetConsoleOutput',
        'ModifyInstanceAttribute', 'RebootInstances', 'DescribeAddresses',
    ]),
    'elbv2': ('elbv2', '2015-12-01', ALL),
    'cloudwatch': ('cloudwatch', '2010-08-01', ALL),
}

# The signing name (SigV4 credential scope) each service is reached by.
SIGNING_NAMES = {
    'autoscaling': 'autoscaling',
    'ec2': 'ec2',
    'elbv2': 'elasticloadbalancing',
    'cloudwatch': 'monitoring',
}

# Traits of a member reference (or a list's member / a map's key and value)
# that change how it travels on the wire.
REF_TRAITS = ('locationName', 'queryName', 'xmlName', 'flattened', 'timestampFormat')

# Enum, min and max are validated only for awsQuery services (AWS's Coral
# validation, "Member must satisfy enum value set"); EC2 validates few of them
# and its enums (instance types) change weekly, so they are dropped for EC2.
CONSTRAINTS = ('enum', 'min', 'max')


def load(service, version):
    root = os.path.join(os.path.dirname(botocore.__file__), 'data', service, version)
    with gzip.open(os.path.join(root, 'service-2.json.gz')) as f:
        return json.load(f)


def trim_ref(ref):
    out = {'shape': ref['shape']}
    for trait in REF_TRAITS:
        if trait in ref:
            out[trait] = ref[trait]
    return out


def trim_shape(shape, keep_constraints):
    out = {'type': shape['type']}
    if 'members' in shape:
        out['members'] = {name: trim_ref(ref) for name, ref in shape['members'].items()}
    for part in ('member', 'key', 'value'):
        if part in shape:
            out[part] = trim_ref(shape[part])
    if shape.get('required'):
        out['required'] = shape['required']
    for trait in ('locationName', 'xmlName', 'flattened', 'timestampFormat', 'union'):
        if trait in shape:
            out[trait] = shape[trait]
    if keep_constraints:
        for trait in CONSTRAINTS:
            if trait in shape:
                out[trait] = shape[trait]
    if 'error' in shape:
        error = {k: shape['error'][k] for k in ('code', 'httpStatusCode', 'senderFault') if k in shape['error']}
        out['error'] = error
    if shape.get('exception'):
        out['exception'] = True
    return out


def reachable(model, roots):
    seen = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = model['shapes'][name]
        refs = list(shape.get('members', {}).values())
        refs += [shape[p] for p in ('member', 'key', 'value') if p in shape]
        stack.extend(ref['shape'] for ref in refs)
    return seen


def protocol_of(metadata):
    # CloudWatch lists smithy-rpc-v2-cbor, json and query; the XML codec serves
    # its query flavour and json-codec.ts its awsJson 1.0 flavour.
    if metadata.get('protocol') == 'ec2':
        return 'ec2'
    return 'query'


def trim(name, service, version, operations):
    model = load(service, version)
    metadata = model['metadata']
    keep_constraints = protocol_of(metadata) == 'query'
    ops = {}
    roots = []
    for op_name in (sorted(model['operations']) if operations is None else list(dict.fromkeys(operations))):
        op = model['operations'][op_name]
        entry = {}
        if 'input' in op:
            entry['input'] = op['input']['shape']
            roots.append(op['input']['shape'])
        if 'output' in op:
            entry['output'] = op['output']['shape']
            roots.append(op['output']['shape'])
            if 'resultWrapper' in op['output']:
                entry['resultWrapper'] = op['output']['resultWrapper']
        if op.get('errors'):
            entry['errors'] = [e['shape'] for e in op['errors']]
            roots.extend(entry['errors'])
        ops[op_name] = entry
    shapes = {s: trim_shape(model['shapes'][s], keep_constraints) for s in sorted(reachable(model, roots))}
    meta = {
        'serviceName': name,
        'protocol': protocol_of(metadata),
        'apiVersion': metadata['apiVersion'],
        'xmlNamespace': metadata['xmlNamespace'],
        'endpointPrefix': metadata['endpointPrefix'],
        'signingName': metadata.get('signingName', SIGNING_NAMES[name]),
    }
    for key in ('targetPrefix', 'jsonVersion'):
        if key in metadata:
            meta[key] = metadata[key]
    if 'awsQueryCompatible' in metadata:
        meta['awsQueryCompatible'] = True
    return {'metadata': meta, 'operations': ops, 'shapes': shapes}


def dump(doc):
    # One operation or shape per line: compact, yet reviewable in a diff.
    compact = lambda v: json.dumps(v, separators=(',', ':'), sort_keys=True)
    lines = ['{', f'"metadata":{compact(doc["metadata"])},', '"operations":{']
    ops = list(doc['operations'].items())
    lines += [f'{compact(k)}:{compact(v)}' + (',' if i < len(ops) - 1 else '') for i, (k, v) in enumerate(ops)]
    lines += ['},', '"shapes":{']
    shapes = list(doc['shapes'].items())
    lines += [f'{compact(k)}:{compact(v)}' + (',' if i < len(shapes) - 1 else '') for i, (k, v) in enumerate(shapes)]
    lines += ['}', '}']
    return '\n'.join(lines) + '\n'


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out_dir = os.path.join(repo, 'src', 'emulator', 'protocol', 'models')
    os.makedirs(out_dir, exist_ok=True)
    for name, (service, version, operations) in OPERATIONS.items():
        doc = trim(name, service, version, operations)
        path = os.path.join(out_dir, f'{name}.json')
        with open(path, 'w') as f:
            f.write(dump(doc))
        print(f'{path}: {len(doc["operations"])} operations, {len(doc["shapes"])} shapes, '
              f'{os.path.getsize(path)} bytes (botocore {botocore.__version__})', file=sys.stderr)


if __name__ == '__main__':
    main()
