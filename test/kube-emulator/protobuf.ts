/**
 * Just enough protobuf to read what kubectl sends as protobuf (a SelfSubjectAccessReview for
 * `kubectl auth can-i`): the `k8s\0` envelope (runtime.Unknown) and length-delimited string fields.
 */

export const PROTOBUF_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Fields = Map<number, Buffer[]>;

function readVarint(buf: Buffer, pos: number): [number, number] {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= buf.length) throw new Error('truncated varint');
    const byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [result, pos];
    shift += 7;
  }
}

/** Length-delimited fields by number (varints and fixed-width fields are skipped). */
export function readFields(buf: Buffer): Fields {
  const fields: Fields = new Map();
  let pos = 0;
  while (pos < buf.length) {
    const [key, afterKey] = readVarint(buf, pos);
    pos = afterKey;
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) pos = readVarint(buf, pos)[1];
    else if (wire === 1) pos += 8;
    else if (wire === 5) pos += 4;
    else if (wire === 2) {
      const [len, start] = readVarint(buf, pos);
      const bytes = buf.subarray(start, start + len);
      fields.set(field, [...(fields.get(field) ?? []), bytes]);
      pos = start + len;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return fields;
}

export function text(fields: Fields, field: number): string | undefined {
  return fields.get(field)?.[0]?.toString('utf8');
}

/** The object inside the `k8s\0` envelope: its apiVersion, kind and raw message bytes. */
export function unwrap(body: Buffer): { apiVersion?: string; kind?: string; raw: Buffer } {
  if (!body.subarray(0, 4).equals(MAGIC)) throw new Error('not a Kubernetes protobuf message (missing k8s magic)');
  const unknown = readFields(body.subarray(4));
  const typeMeta = readFields(unknown.get(1)?.[0] ?? Buffer.alloc(0));
  return { apiVersion: text(typeMeta, 1), kind: text(typeMeta, 2), raw: unknown.get(2)?.[0] ?? Buffer.alloc(0) };
}

/** SelfSubjectAccessReview (authorization.k8s.io/v1) from protobuf to its JSON shape. */
export function decodeAccessReview(body: Buffer): Record<string, unknown> {
  const review = readFields(unwrap(body).raw);
  const spec = readFields(review.get(2)?.[0] ?? Buffer.alloc(0));
  const out: Record<string, unknown> = {};
  const ra = spec.get(1)?.[0];
  if (ra) {
    const f = readFields(ra);
    const names = ['', 'namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
    const attrs: Record<string, string> = {};
    names.forEach((name, i) => {
      const v = i ? text(f, i) : undefined;
      if (v !== undefined) attrs[name] = v;
    });
    out.resourceAttributes = attrs;
  }
  const nra = spec.get(2)?.[0];
  if (nra) {
    const f = readFields(nra);
    out.nonResourceAttributes = { path: text(f, 1) ?? '', verb: text(f, 2) ?? '' };
  }
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: out };
}
