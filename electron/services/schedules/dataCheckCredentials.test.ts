/**
 * The data-check step's object-store listings with the credentials a pod really has, run for real:
 * - S3 without AWS_ACCESS_KEY_ID goes through the real boto3 (Debian's python3-boto3): a credentials file
 *   (AWS_SHARED_CREDENTIALS_FILE) and the container-credentials endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI +
 *   AWS_CONTAINER_AUTHORIZATION_TOKEN, the EKS Pod Identity way), against the S3 stand-in that checks SigV4 (and the
 *   session token), pages and URL-encodes keys; the fingerprint equals the app's for the same bucket.
 * - Without boto3 in the image (python3 -S), the step gets temporary keys itself: IRSA's web identity token at an STS
 *   stand-in, or the container-credentials endpoint with a token file (EKS Pod Identity).
 * - GCS without GOOGLE_OAUTH_ACCESS_TOKEN takes the token of the metadata server (GKE Workload Identity), found at
 *   GCE_METADATA_HOST as google-auth finds it; the metadata stand-in refuses requests without `Metadata-Flavor: Google`
 *   and the paged GCS stand-in refuses any other bearer token.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import { STEP_SCRIPTS } from '../../../node-catalog/scripts.generated.ts';
import { PYTHON, errorLine, makeWorkdir, runStep } from '../../../node-catalog/steps.testkit.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { comparable, corpusOnly, stepFingerprints } from './dataCheck.testkit.ts';
import { fingerprintData, type DataFingerprint } from './dataChange.ts';
import { startS3StandIn, type S3StandIn } from './s3StandIn.testkit.ts';

const hasBoto3 = spawnSync(PYTHON, ['-c', 'import boto3'], { stdio: 'ignore' }).status === 0;

let dir: string;
let script: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pw-datacheck-creds-'));
  script = join(dir, 'datacheck.py');
  writeFileSync(script, STEP_SCRIPTS._datacheck);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The step's `fingerprint` mode in a pod-like environment: only `env`, a HOME without ~/.aws, no config file and no
 * instance metadata (so boto3 finds exactly the credentials the test gives it, and fails fast otherwise).
 */
function pythonFingerprints(doc: PipelineDocument, env: Record<string, string>, before?: DataFingerprint[], pythonFlags: string[] = []): Promise<{ fingerprints: DataFingerprint[]; changes?: string[] }> {
  const podEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, AWS_CONFIG_FILE: join(dir, 'no-aws-config'), AWS_EC2_METADATA_DISABLED: 'true', ...env };
  return stepFingerprints(script, doc, podEnv, before, pythonFlags);
}

async function serve(handler: RequestListener): Promise<{ server: Server; hostPort: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, hostPort: `127.0.0.1:${(server.address() as { port: number }).port}` };
}
const closeServer = (server: Server) => new Promise<void>((r) => server.close(() => r()));

/** Keys boto3 must get back intact through encoding-type=url: space, plus, percent, ampersand, Hangul. */
const OBJECTS = { 'ko/train 000.jsonl': 'e1', 'ko/a+b.jsonl': 'e2', 'ko/100%.jsonl': 'e3', 'ko/a&b.jsonl': 'e4', 'ko/한글.jsonl': 'e5', 'other/x': 'e9' };

describe.skipIf(!hasBoto3)('S3 through the real boto3, without AWS_ACCESS_KEY_ID (skipped: python3-boto3 is not installed; .ci/run installs it)', () => {
  let s3: S3StandIn;
  beforeAll(async () => {
    // A region other than boto3's default, so a region boto3 does not read (AWS_REGION before 1.28) is caught.
    s3 = await startS3StandIn({ ...OBJECTS }, { region: 'eu-central-1', pageSize: 2 });
  });
  afterAll(() => s3.close());

  const credentialsFile = (secret: string) => {
    const file = join(dir, `credentials-${secret.replace(/\W/g, '')}`);
    writeFileSync(file, `[default]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${secret}\n`);
    return file;
  };

  it('a credentials file (AWS_SHARED_CREDENTIALS_FILE), the endpoint from AWS_ENDPOINT_URL_S3, paged: the app\'s fingerprint', async () => {
    const doc = corpusOnly('s3://datasets/ko/');
    const local = await fingerprintData(doc, catalog, {}, s3.env());
    expect(Object.keys(local[0].objects!)).toHaveLength(5);
    s3.queries.length = 0;
    s3.authorizations.length = 0;
    const pod = await pythonFingerprints(doc, { AWS_SHARED_CREDENTIALS_FILE: credentialsFile(s3.secretAccessKey), AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: s3.region });
    expect(comparable(pod.fingerprints)).toEqual(comparable(local));
    // Three pages of two, the second and third asked for with the token S3 gave; all signed by boto3 for eu-central-1.
    expect(s3.queries.map((q) => q.get('continuation-token') !== null)).toEqual([false, true, true]);
    expect(s3.queries.every((q) => q.get('encoding-type') === 'url' && q.get('prefix') === 'ko/')).toBe(true);
    expect(s3.authorizations.every((a) => a.startsWith(`AWS4-HMAC-SHA256 Credential=${s3.accessKeyId}/`) && a.includes('/eu-central-1/s3/aws4_request'))).toBe(true);
  });

  it('the container-credentials endpoint with its authorization token (EKS Pod Identity): temporary key and session token', async () => {
    const temp = await startS3StandIn({ ...OBJECTS }, { region: 'eu-central-1', pageSize: 2, sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE/+=' });
    temp.accessKeyId = 'ASIAEXAMPLETEMP';
    temp.secretAccessKey = 'temp/Secret+Key';
    const seen: string[] = [];
    const agent = await serve((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? '(none)'}`);
      if (req.url !== '/v1/credentials' || req.headers.authorization !== 'pod-identity-token') return void res.writeHead(401).end('{"message":"unauthorized"}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ AccessKeyId: temp.accessKeyId, SecretAccessKey: temp.secretAccessKey, Token: temp.sessionToken, Expiration: new Date(Date.now() + 3600_000).toISOString() }),
      );
    });
    try {
      const doc = corpusOnly('s3://datasets/ko/');
      const local = await fingerprintData(doc, catalog, {}, temp.env());
      const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://${agent.hostPort}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'pod-identity-token', AWS_ENDPOINT_URL: temp.endpoint, AWS_DEFAULT_REGION: 'eu-central-1' };
      const pod = await pythonFingerprints(doc, env);
      expect(comparable(pod.fingerprints)).toEqual(comparable(local));
      expect(seen).toContain('GET /v1/credentials pod-identity-token');
      // The wrong agent token: no credentials, and the input cannot be checked, saying why.
      const refused = await pythonFingerprints(doc, { ...env, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'wrong' });
      expect(refused.fingerprints[0].sha256).toBeUndefined();
      expect(refused.fingerprints[0].unavailable).toMatch(/credential/i);
    } finally {
      await temp.close();
      await closeServer(agent.server);
    }
  });

  it('a wrong secret in the credentials file: S3\'s refusal, named with the bucket and endpoint', async () => {
    const doc = corpusOnly('s3://datasets/ko/');
    const pod = await pythonFingerprints(doc, { AWS_SHARED_CREDENTIALS_FILE: credentialsFile('not-the-secret'), AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: s3.region }, [
      { nodeId: 'corpus', param: 'uri', uri: 's3://datasets/ko/', sha256: 'a'.repeat(64) },
    ]);
    expect(pod.changes).toEqual([expect.stringMatching(/^node "corpus" \(s3:\/\/datasets\/ko\/\): cannot be checked: listing s3:\/\/datasets\/ko\/ at http:\/\/127\.0\.0\.1:\d+ answered 403: The request signature we calculated does not match$/)]);
  });

  it('no credentials anywhere: says what boto3 looked for', async () => {
    const pod = await pythonFingerprints(corpusOnly('s3://datasets/ko/'), { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: s3.region });
    expect(pod.fingerprints[0].unavailable).toMatch(/^listing s3:\/\/datasets\/ko\/ at http:\/\/127\.0\.0\.1:\d+: AWS_ACCESS_KEY_ID is not set and boto3 found no credentials \(no credentials file, web identity token, container credentials endpoint or instance role\)$/);
  });
});

describe('S3 in an image without boto3 (python:3.11-slim): the container-credentials endpoint, read by the step itself', () => {
  // `python3 -S`: no site-packages, so no boto3, as in the data check's default image.
  const NO_BOTO3 = ['-S'];

  it('EKS Pod Identity: AWS_CONTAINER_CREDENTIALS_FULL_URI with the token of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE; the app\'s fingerprint', async () => {
    expect(spawnSync(PYTHON, [...NO_BOTO3, '-c', 'import boto3'], { stdio: 'ignore' }).status).not.toBe(0);
    const s3 = await startS3StandIn({ ...OBJECTS }, { region: 'eu-central-1', pageSize: 2, sessionToken: 'IQoJb3JpZ2luX2VjPodIdentity' });
    s3.accessKeyId = 'ASIAPODIDENTITY';
    s3.secretAccessKey = 'pod/identity+secret';
    const seen: string[] = [];
    const agent = await serve((req, res) => {
      seen.push(String(req.headers.authorization ?? '(none)'));
      if (req.url !== '/v1/credentials' || req.headers.authorization !== 'projected-sa-token') return void res.writeHead(400).end('{"message":"Service account token cannot be empty."}');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ AccessKeyId: s3.accessKeyId, SecretAccessKey: s3.secretAccessKey, Token: s3.sessionToken, AccountId: '123456789012', Expiration: new Date(Date.now() + 3600_000).toISOString() }));
    });
    try {
      const tokenFile = join(dir, 'eks-pod-identity-token');
      writeFileSync(tokenFile, 'projected-sa-token\n');
      const doc = corpusOnly('s3://datasets/ko/');
      const local = await fingerprintData(doc, catalog, {}, s3.env());
      const env = { AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://${agent.hostPort}/v1/credentials`, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: tokenFile, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'eu-central-1' };
      const pod = await pythonFingerprints(doc, env, undefined, NO_BOTO3);
      expect(comparable(pod.fingerprints)).toEqual(comparable(local));
      expect(seen).toEqual(['projected-sa-token']);
      expect(s3.authorizations.at(-1)).toContain('Credential=ASIAPODIDENTITY/');

      // The agent refusing (no token), and an endpoint an SDK would not send the token to over plain HTTP.
      const refused = await pythonFingerprints(doc, { ...env, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '', AWS_CONTAINER_AUTHORIZATION_TOKEN: '' }, undefined, NO_BOTO3);
      expect(refused.fingerprints[0].unavailable).toBe(`the container credentials endpoint http://${agent.hostPort}/v1/credentials answered 400: {"message":"Service account token cannot be empty."}`);
      const elsewhere = await pythonFingerprints(doc, { ...env, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://10.0.0.5/v1/credentials' }, undefined, NO_BOTO3);
      expect(elsewhere.fingerprints[0].unavailable).toMatch(/^AWS_CONTAINER_CREDENTIALS_FULL_URI http:\/\/10\.0\.0\.5\/v1\/credentials: over plain HTTP only 169\.254\.170\.2, 169\.254\.170\.23, /);
      const none = await pythonFingerprints(doc, { AWS_ENDPOINT_URL_S3: s3.endpoint }, undefined, NO_BOTO3);
      expect(none.fingerprints[0].unavailable).toMatch(/^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set \(and boto3 is not in the image, nor a web identity token or container credentials endpoint named\)/);
    } finally {
      await s3.close();
      await closeServer(agent.server);
    }
  });
});

describe('S3 in an image without boto3: IRSA\'s web identity token exchanged at STS by the step itself', () => {
  it('AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN: AssumeRoleWithWebIdentity, then the signed listing with the session token', async () => {
    const s3 = await startS3StandIn({ ...OBJECTS }, { region: 'eu-central-1', pageSize: 2, sessionToken: 'FwoGZXIvYXdzEIRSA' });
    s3.accessKeyId = 'ASIAIRSAEXAMPLE';
    s3.secretAccessKey = 'irsa/secret+key';
    const ROLE = 'arn:aws:iam::123456789012:role/pipewright-data';
    const calls: URLSearchParams[] = [];
    // STS's AssumeRoleWithWebIdentity (Query API, unsigned), for that role and token only.
    const sts = await serve((req, res) => {
      const q = new URL(req.url!, 'http://sts').searchParams;
      calls.push(q);
      if (q.get('Action') !== 'AssumeRoleWithWebIdentity' || q.get('Version') !== '2011-06-15' || q.get('RoleArn') !== ROLE || q.get('WebIdentityToken') !== 'eyJhbGciOi.irsa.jwt') {
        return void res.writeHead(403, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message></Error></ErrorResponse>');
      }
      res.writeHead(200, { 'content-type': 'text/xml' }).end(
        '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials>' +
          `<AccessKeyId>${s3.accessKeyId}</AccessKeyId><SecretAccessKey>${s3.secretAccessKey}</SecretAccessKey><SessionToken>${s3.sessionToken}</SessionToken><Expiration>2026-12-06T03:00:00Z</Expiration>` +
          '</Credentials><AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/pipewright-data/x</Arn></AssumedRoleUser></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>',
      );
    });
    try {
      const tokenFile = join(dir, 'irsa-token');
      writeFileSync(tokenFile, 'eyJhbGciOi.irsa.jwt\n');
      const doc = corpusOnly('s3://datasets/ko/');
      const local = await fingerprintData(doc, catalog, {}, s3.env());
      const env = { AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile, AWS_ROLE_ARN: ROLE, AWS_ENDPOINT_URL_STS: `http://${sts.hostPort}`, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'eu-central-1' };
      const pod = await pythonFingerprints(doc, env, undefined, ['-S']);
      expect(comparable(pod.fingerprints)).toEqual(comparable(local));
      expect(calls).toHaveLength(1);
      expect(calls[0].get('RoleSessionName')).toBe('pipewright-data-check');

      writeFileSync(tokenFile, 'expired.jwt\n');
      const denied = await pythonFingerprints(doc, env, undefined, ['-S']);
      expect(denied.fingerprints[0].unavailable).toBe(`STS AssumeRoleWithWebIdentity for ${ROLE} at http://${sts.hostPort} answered 403: Not authorized to perform sts:AssumeRoleWithWebIdentity`);
    } finally {
      await s3.close();
      await closeServer(sts.server);
    }
  });
});

describe.skipIf(!hasBoto3)('the dataset step downloads s3:// through the same real boto3 (skipped: python3-boto3 is not installed)', () => {
  it('a credentials file, AWS_ENDPOINT_URL_S3 over AWS_ENDPOINT_URL, AWS_REGION: every page\'s objects, byte for byte; S3\'s refusal named', async () => {
    const s3 = await startS3StandIn({}, { region: 'eu-central-1', pageSize: 2 });
    const work = makeWorkdir();
    try {
      const bodies: Record<string, string> = { 'ko/part 1.jsonl': '{"text": "가"}\n', 'ko/part+2.jsonl': '{"text": "나"}\n', 'ko/한글.jsonl': '{"text": "다"}\n' };
      s3.bodies = bodies;
      s3.objects = { ...Object.fromEntries(Object.keys(bodies).map((k, i) => [k, `etag${i}`])), 'other/x.jsonl': 'e9' };
      const creds = join(work.dir, 'credentials');
      writeFileSync(creds, `[default]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = ${s3.secretAccessKey}\n`);
      // AWS_ENDPOINT_URL points nowhere: the S3-specific variable must win, as it does in boto3 1.28+.
      const env = { AWS_SHARED_CREDENTIALS_FILE: creds, AWS_CONFIG_FILE: join(work.dir, 'no-config'), AWS_EC2_METADATA_DISABLED: 'true', AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'eu-central-1' };
      const ok = await runStep(work.script('dataset'), ['--uri', 's3://datasets/ko/', '--out-dataset', 'd'], { cwd: work.dir, env });
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.metrics[0]).toMatchObject({ records: 3, files: 3 });
      expect(readdirSync(join(work.dir, 'd')).sort()).toEqual(['part 1.jsonl', 'part+2.jsonl', '한글.jsonl']);
      for (const [key, text] of Object.entries(bodies)) expect(readFileSync(join(work.dir, 'd', key.slice('ko/'.length)), 'utf8')).toBe(text);

      writeFileSync(creds, `[default]\naws_access_key_id = ${s3.accessKeyId}\naws_secret_access_key = wrong\n`);
      const refused = await runStep(work.script('dataset'), ['--uri', 's3://datasets/ko/', '--out-dataset', 'd2'], { cwd: work.dir, env });
      expect(refused.code).not.toBe(0);
      expect(errorLine(refused)).toMatch(/dataset s3:\/\/datasets\/ko\/ at http:\/\/127\.0\.0\.1:\d+: S3 answered 403: The request signature we calculated does not match$/);
    } finally {
      work.cleanup();
      await s3.close();
    }
  });
});

describe('GCS with the metadata server\'s token (GKE Workload Identity)', () => {
  const items = [
    { name: 'ko/a.jsonl', etag: 'CKih16GjycICEAE=', size: '12' },
    { name: 'ko/b.jsonl', etag: 'CLmJ2qOjycICEAE=', size: '30' },
    { name: 'ko/c.jsonl', etag: 'CNnW5KSjycICEAE=', size: '7' },
  ];
  const TOKEN = 'ya29.c.workload-identity';
  let metadata: Awaited<ReturnType<typeof serve>>;
  let gcs: Awaited<ReturnType<typeof serve>>;
  const metadataRequests: string[] = [];
  const gcsAuth: string[] = [];

  beforeAll(async () => {
    // The metadata server refuses a request without Metadata-Flavor: Google (and one a proxy forwarded), as GCE's does.
    metadata = await serve((req, res) => {
      metadataRequests.push(`${req.url} flavor=${req.headers['metadata-flavor'] ?? '(none)'}`);
      if (req.headers['metadata-flavor'] !== 'Google' || req.headers['x-forwarded-for']) return void res.writeHead(403, { 'content-type': 'text/html' }).end('Missing required header "Metadata-Flavor": Google');
      if (req.url !== '/computeMetadata/v1/instance/service-accounts/default/token') return void res.writeHead(404, { 'metadata-flavor': 'Google' }).end('Not Found');
      res.writeHead(200, { 'content-type': 'application/json', 'metadata-flavor': 'Google' }).end(JSON.stringify({ access_token: TOKEN, expires_in: 3599, token_type: 'Bearer' }));
    });
    // Cloud Storage's objects.list, two items a page, for that bearer token only.
    gcs = await serve((req, res) => {
      const url = new URL(req.url!, 'http://gcs');
      gcsAuth.push(String(req.headers.authorization));
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":401,"message":"Invalid Credentials"}}');
      if (url.pathname !== '/storage/v1/b/corpora/o') return void res.writeHead(404).end('{"error":{"code":404,"message":"Not Found"}}');
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const matching = items.filter((i) => i.name.startsWith(url.searchParams.get('prefix') ?? ''));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: matching.slice(start, start + 2), ...(start + 2 < matching.length ? { nextPageToken: String(start + 2) } : {}) }));
    });
  });
  afterAll(async () => {
    await closeServer(metadata.server);
    await closeServer(gcs.server);
  });

  it('GCE_METADATA_HOST (and the older GCE_METADATA_ROOT) names the metadata server; its token lists every page', async () => {
    const doc = corpusOnly('gs://corpora/ko/');
    const base = `http://${gcs.hostPort}`;
    const local = await fingerprintData(doc, catalog, {}, { STORAGE_EMULATOR_HOST: base, GOOGLE_OAUTH_ACCESS_TOKEN: TOKEN });
    expect(Object.keys(local[0].objects!)).toEqual(['ko/a.jsonl', 'ko/b.jsonl', 'ko/c.jsonl']);
    for (const variable of ['GCE_METADATA_HOST', 'GCE_METADATA_ROOT']) {
      metadataRequests.length = 0;
      gcsAuth.length = 0;
      const pod = await pythonFingerprints(doc, { STORAGE_EMULATOR_HOST: base, [variable]: metadata.hostPort });
      expect(comparable(pod.fingerprints)).toEqual(comparable(local));
      expect(metadataRequests).toEqual(['/computeMetadata/v1/instance/service-accounts/default/token flavor=Google']);
      expect(gcsAuth).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    }
  });

  it('a metadata server that gives no token: the input cannot be checked, naming the server and its answer', async () => {
    const silent = await serve((_req, res) => void res.writeHead(404, { 'metadata-flavor': 'Google' }).end('no service account'));
    try {
      const pod = await pythonFingerprints(corpusOnly('gs://corpora/ko/'), { STORAGE_EMULATOR_HOST: `http://${gcs.hostPort}`, GCE_METADATA_HOST: silent.hostPort });
      expect(pod.fingerprints[0].sha256).toBeUndefined();
      expect(pod.fingerprints[0].unavailable).toBe(`GOOGLE_OAUTH_ACCESS_TOKEN is not set and no token came from the metadata server (the metadata server ${silent.hostPort} answered 404: no service account), so the bucket cannot be listed`);
    } finally {
      await closeServer(silent.server);
    }
  });
});
