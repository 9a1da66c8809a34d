import type { ServiceModel, ShapeRef, ShapeType } from './model.js';

/**
 * A model shape compiled once per service for the codecs: member lists with
 * their wire names resolved for the service's protocol, constraint sets
 * built, XML tags precomputed. Shapes reference each other directly, so a
 * recursive shape compiles to a cyclic graph.
 *
 * The naming rules are botocore's (serialize.py QuerySerializer and
 * EC2Serializer for input keys, parsers.py BaseXMLResponseParser for output
 * elements), which are also what SDK v3's QueryShapeSerializer and
 * XmlShapeDeserializer do.
 */
export interface CodecShape {
  readonly name: string;
  readonly type: ShapeType;
  /** structure: its members in model order. */
  readonly members: readonly CodecMember[];
  /** list: the element. */
  readonly member: CodecMember | undefined;
  /** map: key and value. */
  readonly key: CodecMember | undefined;
  readonly value: CodecMember | undefined;
  readonly flattened: boolean;
  readonly enumValues: ReadonlySet<string> | undefined;
  /** `[A, B, C]`, as Coral prints an enum set in its validation message. */
  readonly enumText: string;
  readonly min: number | undefined;
  readonly max: number | undefined;
}

export interface CodecMember {
  /** The model's member name (PascalCase); `member`/`key`/`value` for list and map parts. */
  readonly name: string;
  readonly shape: CodecShape;
  readonly required: boolean;
  /**
   * The query key segment this member arrives under: `Filter` for EC2's
   * `Filters`, `member` (or the locationName) for an awsQuery list element.
   */
  readonly queryKey: string;
  /** The XML element it is written as: `instancesSet`, `member`, `item`. */
  readonly xmlName: string;
  readonly openTag: string;
  readonly closeTag: string;
  /** Name in Coral validation messages: `autoScalingGroupName`. */
  readonly pathName: string;
}

export type CodecProtocol = 'query' | 'ec2' | 'json';

export interface CodecModel {
  readonly model: ServiceModel;
  readonly protocol: CodecProtocol;
  shape(name: string): CodecShape;
}

const compiled = new WeakMap<ServiceModel, Map<CodecProtocol, CodecModel>>();

/** The compiled shapes of `model` for `protocol`, built lazily and cached. */
export function codecModel(model: ServiceModel, protocol: CodecProtocol): CodecModel {
  let byProtocol = compiled.get(model);
  if (!byProtocol) {
    byProtocol = new Map();
    compiled.set(model, byProtocol);
  }
  let codec = byProtocol.get(protocol);
  if (!codec) {
    codec = compile(model, protocol);
    byProtocol.set(protocol, codec);
  }
  return codec;
}

interface MutableCodecShape {
  name: string;
  type: ShapeType;
  members: CodecMember[];
  member: CodecMember | undefined;
  key: CodecMember | undefined;
  value: CodecMember | undefined;
  flattened: boolean;
  enumValues: ReadonlySet<string> | undefined;
  enumText: string;
  min: number | undefined;
  max: number | undefined;
}

/** The traits botocore sees on a member: the shape's own, overridden by the reference's. */
interface MergedTraits {
  locationName: string | undefined;
  queryName: string | undefined;
  flattened: boolean;
}

function compile(model: ServiceModel, protocol: CodecProtocol): CodecModel {
  const shapes = new Map<string, CodecShape>();

  function merged(ref: ShapeRef): MergedTraits {
    const target = model.shapes[ref.shape];
    return {
      locationName: ref.locationName ?? ref.xmlName ?? target?.locationName ?? target?.xmlName,
      queryName: ref.queryName,
      flattened: ref.flattened ?? target?.flattened ?? false,
    };
  }

  function shape(name: string): CodecShape {
    const existing = shapes.get(name);
    if (existing) return existing;
    const source = model.shapes[name];
    if (!source) throw new Error(`service model ${model.metadata.serviceName} has no shape ${name}`);
    const out: MutableCodecShape = {
      name,
      type: source.type,
      members: [],
      member: undefined,
      key: undefined,
      value: undefined,
      flattened: source.flattened ?? false,
      enumValues: source.enum ? new Set(source.enum) : undefined,
      enumText: source.enum ? `[${source.enum.join(', ')}]` : '',
      min: source.min,
      max: source.max,
    };
    // Registered before its members compile, so recursion finds it.
    shapes.set(name, out);
    const required = new Set(source.required ?? []);
    for (const [memberName, ref] of Object.entries(source.members ?? {})) {
      out.members.push(structMember(memberName, ref, required.has(memberName)));
    }
    if (source.member) out.member = listElement(source.member);
    if (source.key) out.key = mapPart('key', source.key);
    if (source.value) out.value = mapPart('value', source.value);
    return out;
  }

  function member(name: string, ref: ShapeRef, required: boolean, queryKey: string, xmlName: string): CodecMember {
    return {
      name,
      // Safe for recursive shapes: shape() registers a shape before filling it in.
      shape: shape(ref.shape),
      required,
      queryKey,
      xmlName,
      openTag: `<${xmlName}>`,
      closeTag: `</${xmlName}>`,
      pathName: name.charAt(0).toLowerCase() + name.slice(1),
    };
  }

  function structMember(name: string, ref: ShapeRef, required: boolean): CodecMember {
    const traits = merged(ref);
    const target = model.shapes[ref.shape];
    // parsers.py _member_key_name: a flattened list is written as repeated
    // elements named after its member's locationName.
    let xmlName = traits.locationName ?? name;
    if (target?.type === 'list' && traits.flattened && target.member) {
      const elementName = merged(target.member).locationName;
      if (elementName) xmlName = elementName;
    }
    let queryKey: string;
    if (protocol === 'ec2') {
      // serialize.py EC2Serializer._get_serialized_name.
      queryKey = traits.queryName ?? (traits.locationName ? capitalize(traits.locationName) : name);
    } else {
      queryKey = traits.locationName ?? name;
      // serialize.py QuerySerializer._serialize_type_list: a flattened list's
      // elements replace the member's own key with the element's name.
      if (target?.type === 'list' && traits.flattened && target.member) {
        const elementName = merged(target.member).locationName;
        if (elementName) queryKey = elementName;
      }
    }
    return member(name, ref, required, queryKey, xmlName);
  }

  function listElement(ref: ShapeRef): CodecMember {
    const traits = merged(ref);
    // EC2 always writes `<item>`; awsQuery `<member>` unless renamed.
    const elementName = traits.locationName ?? (protocol === 'ec2' ? 'item' : 'member');
    const queryKey = traits.locationName ?? 'member';
    return member('member', ref, false, queryKey, elementName);
  }

  function mapPart(part: 'key' | 'value', ref: ShapeRef): CodecMember {
    const name = merged(ref).locationName ?? part;
    return member(part, ref, true, name, name);
  }

  return { model, protocol, shape };
}

function capitalize(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
