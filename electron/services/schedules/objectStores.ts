/**
 * What is in an object-store prefix, as ETags: S3 (and MinIO, any S3-compatible endpoint) through
 * ListObjectsV2 signed with AWS Signature Version 4, and Google Cloud Storage through its JSON API
 * with a bearer token. Credentials come from the environment the way the official tools read them.
 */
import { createHash, createHmac } from 'node:crypto';

export interface ObjectEtag {
  key: string;
  etag: string;
  size: number;
}

export type Env = Readonly<Record<string, string | undefined>>;
export type Fetch = typeof fetch;

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it (slashes kept in paths when `keepSlash`). */
function awsEncode(text: string, keepSlash = false): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%2F/g, keepSlash ? '/' : '%2F');
}

export interface SigV4Input {
  method: string;
  url: URL;
  headers: Record<string, string>;
  payloadHash: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service: string;
  /** `YYYYMMDDTHHMMSSZ` */
  amzDate: string;
}

/** The Authorization header of a SigV4-signed request (`headers` must include host and x-amz-date). */
export function sigV4Authorization(input: SigV4Input): string {
  const date = input.amzDate.slice(0, 8);
  const headerNames = Object.keys(input.headers).map((h) => h.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')]));
  const query = [...input.url.searchParams.entries()]
    .map(([k, v]) => [awsEncode(k), awsEncode(v)])
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalPath = awsEncode(decodeURIComponent(input.url.pathname), true) || '/';
  const canonical = [input.method, canonicalPath, query, headerNames.map((h) => `${h}:${lower[h]}\n`).join(''), headerNames.join(';'), input.payloadHash].join('\n');
  const scope = `${date}/${input.region}/${input.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', input.amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${input.secretAccessKey}`, date), input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${input.accessKeyId}/${scope}, SignedHeaders=${headerNames.join(';')}, Signature=${signature}`;
}

const amzDateOf = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function xmlValues(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);
}

const unescapeXml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every object under `s3://bucket/prefix` (path-style requests, so MinIO and other S3-compatible stores work). */
export async function listS3(bucket: string, prefix: string, env: Env, fetchImpl: Fetch = fetch, now = () => new Date()): Promise<ObjectEtag[]> {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw new Error('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set, so the bucket cannot be listed');
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const endpoint = (env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || `https://s3.${region}.amazonaws.com`).replace(/\/+$/, '');
  const out: ObjectEtag[] = [];
  let token: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const url = new URL(`${endpoint}/${encodeURIComponent(bucket)}`);
    url.searchParams.set('list-type', '2');
    if (prefix) url.searchParams.set('prefix', prefix);
    if (token) url.searchParams.set('continuation-token', token);
    const amzDate = amzDateOf(now());
    const payloadHash = sha256Hex('');
    const headers: Record<string, string> = { host: url.host, 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate };
    if (env.AWS_SESSION_TOKEN) headers['x-amz-security-token'] = env.AWS_SESSION_TOKEN;
    const authorization = sigV4Authorization({ method: 'GET', url, headers, payloadHash, accessKeyId, secretAccessKey, region, service: 's3', amzDate });
    const { host: _host, ...sent } = headers;
    const res = await fetchImpl(url, { headers: { ...sent, authorization } });
    const text = await res.text();
    if (!res.ok) throw new Error(`listing s3://${bucket}/${prefix} at ${endpoint} answered ${res.status}: ${xmlValues(text, 'Message')[0] ?? text.slice(0, 120)}`);
    for (const block of xmlValues(text, 'Contents')) {
      out.push({ key: unescapeXml(xmlValues(block, 'Key')[0] ?? ''), etag: unescapeXml(xmlValues(block, 'ETag')[0] ?? ''), size: Number(xmlValues(block, 'Size')[0] ?? 0) });
    }
    token = xmlValues(text, 'IsTruncated')[0] === 'true' ? unescapeXml(xmlValues(text, 'NextContinuationToken')[0] ?? '') : undefined;
    if (!token) break;
  }
  return out;
}

/** Every object under `gs://bucket/prefix`, with GOOGLE_OAUTH_ACCESS_TOKEN (STORAGE_EMULATOR_HOST for an emulator). */
export async function listGcs(bucket: string, prefix: string, env: Env, fetchImpl: Fetch = fetch): Promise<ObjectEtag[]> {
  const token = env.GOOGLE_OAUTH_ACCESS_TOKEN;
  const base = (env.STORAGE_EMULATOR_HOST || 'https://storage.googleapis.com').replace(/\/+$/, '');
  if (!token && !env.STORAGE_EMULATOR_HOST) throw new Error('GOOGLE_OAUTH_ACCESS_TOKEN is not set (gcloud auth print-access-token), so the bucket cannot be listed');
  const out: ObjectEtag[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const url = new URL(`${base}/storage/v1/b/${encodeURIComponent(bucket)}/o`);
    if (prefix) url.searchParams.set('prefix', prefix);
    url.searchParams.set('fields', 'items(name,etag,size),nextPageToken');
    if (pageToken) url.searchParams.set('pageToken', pageToken);
    const res = await fetchImpl(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const text = await res.text();
    if (!res.ok) throw new Error(`listing gs://${bucket}/${prefix} answered ${res.status}: ${text.slice(0, 160)}`);
    const body = JSON.parse(text) as { items?: { name: string; etag: string; size?: string }[]; nextPageToken?: string };
    for (const item of body.items ?? []) out.push({ key: item.name, etag: item.etag, size: Number(item.size ?? 0) });
    pageToken = body.nextPageToken;
    if (!pageToken) break;
  }
  return out;
}

/** The objects of an `s3://`, `minio://` or `gs://` URI, or undefined for any other scheme. */
export async function listObjectStore(uri: string, env: Env, fetchImpl: Fetch = fetch): Promise<ObjectEtag[] | undefined> {
  const m = /^(s3|minio|gs):\/\/([^/]+)\/?(.*)$/.exec(uri.trim());
  if (!m) return undefined;
  const [, scheme, bucket, prefix] = m;
  const list = scheme === 'gs' ? await listGcs(bucket, prefix, env, fetchImpl) : await listS3(bucket, prefix, env, fetchImpl);
  return list.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
