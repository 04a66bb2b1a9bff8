/**
 * A stand-in S3 (MinIO-like, path style) with one bucket, `datasets`, answering ListObjectsV2 only when the
 * request carries the SigV4 signature of the key in `env()`; anything else gets S3's 403 SignatureDoesNotMatch.
 */
import { createServer } from 'node:http';
import { sigV4Authorization } from './objectStores.ts';

export interface S3StandIn {
  /** Object key -> ETag (unquoted) in the bucket; a test may replace or change it between listings. */
  objects: Record<string, string>;
  /** The Authorization header of every request, in order. */
  authorizations: string[];
  endpoint: string;
  /** AWS_* variables that reach the stand-in with the key it accepts. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

const KEY_ID = 'AKIDEXAMPLE';
const SECRET = 'secret/KEY';
const REGION = 'us-east-1';
const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function startS3StandIn(objects: Record<string, string> = {}): Promise<S3StandIn> {
  const server = createServer((req, res) => {
    const url = new URL(req.url!, `http://${req.headers.host}`);
    const headers = { host: req.headers.host!, 'x-amz-content-sha256': String(req.headers['x-amz-content-sha256']), 'x-amz-date': String(req.headers['x-amz-date']) };
    const expected = sigV4Authorization({ method: 'GET', url, headers, payloadHash: headers['x-amz-content-sha256'], accessKeyId: KEY_ID, secretAccessKey: SECRET, region: REGION, service: 's3', amzDate: headers['x-amz-date'] });
    standIn.authorizations.push(String(req.headers.authorization));
    if (req.headers.authorization !== expected || url.pathname !== '/datasets' || url.searchParams.get('list-type') !== '2') {
      res.writeHead(403).end('<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error>');
      return;
    }
    const prefix = url.searchParams.get('prefix') ?? '';
    const items = Object.entries(standIn.objects).filter(([k]) => k.startsWith(prefix));
    res.writeHead(200, { 'content-type': 'application/xml' }).end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>datasets</Name><KeyCount>${items.length}</KeyCount><IsTruncated>false</IsTruncated>` +
        items.map(([k, e]) => `<Contents><Key>${xmlText(k)}</Key><ETag>&quot;${e}&quot;</ETag><Size>10</Size></Contents>`).join('') +
        '</ListBucketResult>',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const standIn: S3StandIn = {
    objects,
    authorizations: [],
    endpoint,
    env: () => ({ AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_REGION: REGION, AWS_ENDPOINT_URL: endpoint }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return standIn;
}
