/** The dataset and preprocess steps on real files: fetching by path, sample:// and http, Korean normalisation, dedupe, counts. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_FILES } from './scripts.generated.ts';
import { errorLine, makeWorkdir, PYTHON, runStep } from './steps.testkit.ts';

let work: ReturnType<typeof makeWorkdir>;
const importable = (module: string): boolean => {
  try {
    execFileSync(PYTHON, ['-c', `import ${module}`], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};
const jsonl = (records: unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';
const readJsonl = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(() => {
  work = makeWorkdir();
  mkdirSync(join(work.dir, 'samples'));
  for (const [name, text] of Object.entries(SAMPLE_FILES)) writeFileSync(join(work.dir, 'samples', name), text);
});
afterAll(() => work.cleanup());

describe('dataset step', () => {
  it('fetches sample://NAME from ./samples and counts the records', async () => {
    const result = await runStep(work.script('dataset'), ['--uri', 'sample://ko_corpus.jsonl', '--out-dataset', 'd1'], { cwd: work.dir });
    expect(result.code).toBe(0);
    expect(result.metrics).toEqual([{ step: 0, records: 200, files: 1, bytes: Buffer.byteLength(SAMPLE_FILES['ko_corpus.jsonl']) }]);
    expect(readFileSync(join(work.dir, 'd1', 'ko_corpus.jsonl'), 'utf8')).toBe(SAMPLE_FILES['ko_corpus.jsonl']);
  });

  it('resolves sample:// in PIPEWRIGHT_SAMPLES_DIR and relative paths against the working directory', async () => {
    const bySample = await runStep(work.script('dataset'), ['--uri', 'sample://ko_test.jsonl', '--out-dataset', join(work.dir, 'd2')], {
      cwd: '/', env: { PIPEWRIGHT_SAMPLES_DIR: join(work.dir, 'samples') },
    });
    expect(bySample.code).toBe(0);
    expect(bySample.metrics[0].records).toBe(40);
    const byPath = await runStep(work.script('dataset'), ['--uri', 'samples', '--out-dataset', 'd3'], { cwd: work.dir });
    expect(byPath.code).toBe(0);
    expect(readdirSync(join(work.dir, 'd3')).sort()).toEqual(['ko_corpus.jsonl', 'ko_instructions.jsonl', 'ko_test.jsonl']);
    expect(byPath.metrics[0].records).toBe(200 + 105 + 40);
  });

  it('keeps text files as .txt and fetches over http', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/corpus.txt') res.end('첫째 줄입니다.\n\n둘째 줄입니다.\n');
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const ok = await runStep(work.script('dataset'), ['--uri', `http://127.0.0.1:${port}/corpus.txt`, '--format', 'text', '--out-dataset', 'h1'], { cwd: work.dir });
      expect(ok.code).toBe(0);
      expect(ok.metrics[0]).toMatchObject({ records: 2, files: 1 });
      expect(readFileSync(join(work.dir, 'h1', 'corpus.txt'), 'utf8')).toBe('첫째 줄입니다.\n\n둘째 줄입니다.\n');
      const missing = await runStep(work.script('dataset'), ['--uri', `http://127.0.0.1:${port}/nothing.jsonl`, '--out-dataset', 'h2'], { cwd: work.dir });
      expect(missing.code).toBe(3);
      expect(errorLine(missing)).toMatch(/cannot fetch http:\/\/127\.0\.0\.1:\d+\/nothing\.jsonl/);
    } finally {
      server.close();
    }
  });

  it('reports a bad JSONL line with its file and line number', async () => {
    writeFileSync(join(work.dir, 'broken.jsonl'), '{"text": "좋은 줄"}\n{"text": 깨진 줄}\n');
    const result = await runStep(work.script('dataset'), ['--uri', 'broken.jsonl', '--out-dataset', 'b1'], { cwd: work.dir });
    expect(result.code).toBe(3);
    expect(errorLine(result)).toMatch(/^error: broken\.jsonl:2: not valid JSON/);
  });

  it('refuses an unknown scheme and a bad sample name', async () => {
    const ftp = await runStep(work.script('dataset'), ['--uri', 'ftp://host/x', '--out-dataset', 'f1'], { cwd: work.dir });
    expect(ftp.code).toBe(2);
    expect(errorLine(ftp)).toMatch(/unsupported URI scheme 'ftp'/);
    const escape = await runStep(work.script('dataset'), ['--uri', 'sample://../secret', '--out-dataset', 'f2'], { cwd: work.dir });
    expect(escape.code).toBe(2);
  });

  it('s3:// without boto3 exits 4 naming the package and its install command', async () => {
    // boto3 hidden (CI installs Debian's python3-boto3 for the data check's tests): an image without it.
    mkdirSync(join(work.dir, 'no-boto3'), { recursive: true });
    writeFileSync(join(work.dir, 'no-boto3', 'boto3.py'), 'raise ImportError("No module named \'boto3\'")\n');
    const result = await runStep(work.script('dataset'), ['--uri', 's3://bucket/corpus/', '--out-dataset', 's1'], { cwd: work.dir, env: { PYTHONPATH: join(work.dir, 'no-boto3') } });
    expect(result.code).toBe(4);
    expect(errorLine(result)).toMatch(/'boto3'.*pip install boto3/);
  });

  it.skipIf(importable('pyarrow'))('parquet without pyarrow exits 4 naming pyarrow', async () => {
    writeFileSync(join(work.dir, 'table.parquet'), 'PAR1 not really');
    const result = await runStep(work.script('dataset'), ['--uri', 'table.parquet', '--format', 'parquet', '--out-dataset', 'p1'], { cwd: work.dir });
    expect(result.code).toBe(4);
    expect(errorLine(result)).toMatch(/'pyarrow'.*pip install pyarrow/);
  });
});

describe('preprocess step', () => {
  const preprocess = (name: string, records: unknown[], args: string[] = []) => {
    writeFileSync(join(work.dir, `${name}.jsonl`), jsonl(records));
    return runStep(work.script('preprocess'), ['--in-dataset', `${name}.jsonl`, '--out-dataset', `${name}-out`, ...args], { cwd: work.dir }).then(
      (result) => ({ result, texts: result.code === 0 ? readJsonl(join(work.dir, `${name}-out`, 'data.jsonl')).map((r) => r.text) : [] }),
    );
  };

  const normalisation: [string, string, string][] = [
    ['NFC composes decomposed Hangul', '\u1112\u1161\u11ab\u1100\u1173\u11af 문자', '한글 문자'],
    ['ㆍ becomes ·', '서울ㆍ부산ㆍ대구', '서울·부산·대구'],
    ['runs of spaces, tabs, NBSP and ideographic spaces collapse', '가나\t\t다라\u00a0\u00a0마바\u3000사  아', '가나 다라 마바 사 아'],
    ['ends are trimmed', '   앞뒤 공백   ', '앞뒤 공백'],
    ['zero-width and control characters go', '보이지\u200b않는\u0007 문자\ufeff', '보이지않는 문자'],
    ['blank lines collapse to one', '첫 문단\r\n\r\n\r\n\r\n둘째 문단\n  셋째 줄  ', '첫 문단\n\n둘째 문단\n셋째 줄'],
  ];
  it.each(normalisation)('%s', async (_name, input, expected) => {
    const { result, texts } = await preprocess('norm', [{ text: input, id: 7 }], ['--min_chars', '0']);
    expect(result.code).toBe(0);
    expect(texts).toEqual([expected]);
  });

  it('keeps other fields, dedupes on the normalised text, filters short records and counts each', async () => {
    const records = [
      { text: '한국어 말뭉치의 첫 문장입니다.', source: 'a' },
      { text: '한국어  말뭉치의 첫 문장입니다. ', source: 'b' },
      { text: '\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165 말뭉치의 첫 문장입니다.', source: 'c' },
      { text: '짧다', source: 'd' },
      { title: '본문 없음' },
      { text: '서울ㆍ부산을 잇는 고속철도', source: 'e' },
      { text: '서울·부산을 잇는 고속철도', source: 'f' },
    ];
    const { result } = await preprocess('count', records);
    expect(result.code).toBe(0);
    expect(result.metrics.at(-1)).toEqual({ step: 0, read: 7, kept: 2, duplicates: 3, too_short: 1, missing_field: 1, chars: 31 });
    const kept = readJsonl(join(work.dir, 'count-out', 'data.jsonl'));
    expect(kept).toEqual([{ text: '한국어 말뭉치의 첫 문장입니다.', source: 'a' }, { text: '서울·부산을 잇는 고속철도', source: 'e' }]);
    expect(JSON.parse(readFileSync(join(work.dir, 'count-out', 'stats.json'), 'utf8'))).toMatchObject({ kept: 2, duplicates: 3, chars: 31 });
    expect(result.stdout).toContain('preprocess: read 7, kept 2 (31 characters), duplicates 3');
    expect(result.progress.at(-1)).toEqual({ current: 7, total: 7, label: 'preprocess' });
  });

  it('with dedupe off keeps duplicates; with normalize off writes the raw text', async () => {
    const records = [{ text: 'ㆍ같은  문장이 두 번 나옵니다' }, { text: 'ㆍ같은  문장이 두 번 나옵니다' }];
    const noDedupe = await preprocess('nodedupe', records, ['--dedupe', 'false']);
    expect(noDedupe.result.metrics.at(-1)).toMatchObject({ kept: 2, duplicates: 0 });
    const raw = await preprocess('raw', records, ['--normalize', 'false']);
    expect(raw.texts).toEqual(['ㆍ같은  문장이 두 번 나옵니다']);
  });

  it('reads another text field and plain text files', async () => {
    const other = await preprocess('field', [{ body: '다른 필드에 든 본문입니다' }], ['--text_field', 'body']);
    expect(other.result.metrics.at(-1)).toMatchObject({ kept: 1 });
    writeFileSync(join(work.dir, 'plain.txt'), '텍스트 파일의 첫 줄입니다\n\n텍스트 파일의 둘째 줄입니다\n');
    const text = await runStep(work.script('preprocess'), ['--in-dataset', 'plain.txt', '--out-dataset', 'plain-out'], { cwd: work.dir });
    expect(text.metrics.at(-1)).toMatchObject({ read: 2, kept: 2 });
  });

  it('fails clearly when no record has the text field', async () => {
    const { result } = await preprocess('nofield', [{ body: '본문' }, { body: '본문 둘' }]);
    expect(result.code).toBe(3);
    expect(errorLine(result)).toMatch(/no record in nofield\.jsonl has a string field 'text' \(set text_field\)/);
  });

  it('cleans the sample corpus: 200 read, 178 kept, 13 duplicates, 9 too short', async () => {
    const result = await runStep(work.script('preprocess'), ['--in-dataset', 'samples/ko_corpus.jsonl', '--out-dataset', 'corpus-out'], { cwd: work.dir });
    const text = readFileSync(join(work.dir, 'corpus-out', 'data.jsonl'), 'utf8');
    const chars = text.trim().split('\n').reduce((sum, line) => sum + (JSON.parse(line) as { text: string }).text.length, 0);
    expect(result.metrics.at(-1)).toEqual({ step: 0, read: 200, kept: 178, duplicates: 13, too_short: 9, missing_field: 0, chars });
    expect(chars).toBeGreaterThan(178 * 10);
    expect(text).not.toMatch(/[ㆍ\u200b\u3000\u00a0\t]| {2}/);
    expect(text.normalize('NFC')).toBe(text);
  });
});
