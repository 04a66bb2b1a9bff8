/**
 * The cluster's data-check step (node-catalog/_datacheck, Python) fingerprints inputs and words changes
 * exactly as the app's local trigger (dataChange.ts, objectStores.ts): same hashes for files, folders,
 * bundled samples and S3 prefixes (listed with a SigV4-signed request a stand-in S3 checks), same sentences.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../../node-catalog/index.ts';
import { STEP_SCRIPTS } from '../../../node-catalog/scripts.generated.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { comparable, corpusOnly, stepFingerprints } from './dataCheck.testkit.ts';
import { dataChanges, fingerprintData, type DataFingerprint } from './dataChange.ts';
import { startS3StandIn, type S3StandIn } from './s3StandIn.testkit.ts';

let dir: string;
let script: string;
let s3: S3StandIn;
const env = () => s3.env();

/** The step's `fingerprint` mode with PATH and `extraEnv` only. */
const pythonFingerprints = (doc: PipelineDocument, extraEnv: Record<string, string>, before?: DataFingerprint[]) => stepFingerprints(script, doc, { PATH: process.env.PATH, ...extraEnv }, before);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pw-datacheck-parity-'));
  script = join(dir, 'datacheck.py');
  writeFileSync(script, STEP_SCRIPTS._datacheck);
  s3 = await startS3StandIn();
});

afterAll(async () => {
  await s3.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the data-check step fingerprints as the local trigger does', () => {
  it('files, folders (nested, non-ASCII names), bundled samples, remote and relative URIs', async () => {
    const folder = join(dir, 'corpus');
    mkdirSync(join(folder, 'sub', '한글'), { recursive: true });
    writeFileSync(join(folder, 'a.jsonl'), '{"text": "가"}\n');
    writeFileSync(join(folder, 'a-b.jsonl'), '{"text": "나"}\n');
    writeFileSync(join(folder, 'sub', '한글', 'z.txt'), '다\n');
    writeFileSync(join(dir, 'one.jsonl'), '{"text": "하나"}\n');
    const doc = templateDocument('korean-llm-smoke')!;
    const uris: Record<string, string> = { corpus: folder, instructions: `file://${join(dir, 'one.jsonl')}`, 'test-set': 'https://example.com/test.jsonl' };
    for (const n of doc.nodes) if (uris[n.id]) n.params = { ...n.params, uri: uris[n.id] };
    // Samples are written where the launcher writes them in the pod.
    const samples = join(dir, 'samples');
    mkdirSync(samples, { recursive: true });
    writeFileSync(join(samples, 'ko-bench'), catalog.samples!['ko-bench']);
    const local = await fingerprintData(doc, catalog, {}, {});
    const pod = await pythonFingerprints(doc, { PIPEWRIGHT_SAMPLES_DIR: samples });
    expect(comparable(pod.fingerprints)).toEqual(comparable(local));
    expect(local.filter((f) => f.sha256).map((f) => f.nodeId)).toEqual(['corpus', 'instructions', 'ko-bench']);
  });

  it('s3 prefixes by their objects\' ETags, listed with a signed request; changes worded the same', async () => {
    const doc = corpusOnly('s3://datasets/ko/');
    s3.objects = { 'ko/train-000.jsonl': 'e1', 'ko/train-001.jsonl': 'e2', 'ko/a&b.jsonl': 'e3', 'other/x': 'e9' };
    const before = await fingerprintData(doc, catalog, {}, env());
    const podBefore = await pythonFingerprints(doc, env());
    expect(comparable(podBefore.fingerprints)).toEqual(comparable(before));
    expect(Object.keys(before[0].objects!)).toHaveLength(3);

    s3.objects = { 'ko/train-000.jsonl': 'e1', 'ko/train-001.jsonl': 'e2b', 'ko/train-002.jsonl': 'e4', 'other/x': 'e9' };
    const now = await fingerprintData(doc, catalog, {}, env());
    const pod = await pythonFingerprints(doc, env(), before);
    expect(comparable(pod.fingerprints)).toEqual(comparable(now));
    expect(pod.changes).toEqual(dataChanges(before, now));
    expect(pod.changes).toEqual(['node "corpus" (s3://datasets/ko/): objects 1 changed (ko/train-001.jsonl), 1 added (ko/train-002.jsonl), 1 removed (ko/a&b.jsonl)']);
  });

  it('gs prefixes through the JSON API (paged, bearer token), the same as the app', async () => {
    const items = [
      { name: 'ko/a.jsonl', etag: 'CKih16GjycICEAE=', size: '12' },
      { name: 'ko/b.jsonl', etag: 'CLmJ2qOjycICEAE=', size: '30' },
      { name: 'ko/c.jsonl', etag: 'CNnW5KSjycICEAE=', size: '7' },
    ];
    const auth: string[] = [];
    // A stand-in of the Cloud Storage JSON API's objects.list: two items a page, nextPageToken between pages.
    const gcs = createServer((req, res) => {
      const url = new URL(req.url!, 'http://gcs');
      auth.push(String(req.headers.authorization));
      if (url.pathname !== '/storage/v1/b/corpora/o') return void res.writeHead(404).end('{"error":{"code":404,"message":"Not Found"}}');
      const start = Number(url.searchParams.get('pageToken') ?? 0);
      const page = items.filter((i) => i.name.startsWith(url.searchParams.get('prefix') ?? '')).slice(start, start + 2);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items: page, ...(start + 2 < items.length ? { nextPageToken: String(start + 2) } : {}) }));
    });
    await new Promise<void>((r) => gcs.listen(0, '127.0.0.1', r));
    try {
      const gcsEnv = { STORAGE_EMULATOR_HOST: `http://127.0.0.1:${(gcs.address() as { port: number }).port}`, GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.token' };
      const doc = corpusOnly('gs://corpora/ko/');
      const local = await fingerprintData(doc, catalog, {}, gcsEnv);
      const pod = await pythonFingerprints(doc, gcsEnv);
      expect(local[0].sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(comparable(pod.fingerprints)).toEqual(comparable(local));
      expect(Object.keys(local[0].objects!)).toEqual(['ko/a.jsonl', 'ko/b.jsonl', 'ko/c.jsonl']);
      expect(new Set(auth)).toEqual(new Set(['Bearer ya29.token']));
    } finally {
      await new Promise<void>((r) => gcs.close(() => r()));
    }
  });

  it('a wrong key: the input cannot be checked (so it counts as changed), saying what S3 answered', async () => {
    const doc = corpusOnly('s3://datasets/ko/');
    const pod = await pythonFingerprints(doc, { ...env(), AWS_SECRET_ACCESS_KEY: 'wrong' }, [{ nodeId: 'corpus', param: 'uri', uri: 's3://datasets/ko/', sha256: 'a'.repeat(64) }]);
    expect(pod.changes).toEqual([expect.stringMatching(/^node "corpus" \(s3:\/\/datasets\/ko\/\): cannot be checked: listing s3:\/\/datasets\/ko\/ at http:\/\/127\.0\.0\.1:\d+ answered 403: The request signature we calculated does not match$/)]);
  });
});
