/**
 * Every test run parses compiled KFP output strictly (issue 8 §8): before the tests, build Python
 * bindings of KFP's own .proto files (../shared/reference/kfp-proto) with Debian's protoc, and hand
 * their folder to the tests as KFP_PROTO_BINDINGS. A folder given by the caller is used as it is
 * (several, ':'-separated, check against several KFP versions). Missing tools fail the run with the
 * command that installs them; nothing is skipped.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const KFP_PROTO_DIR = join(root, '..', 'shared', 'reference', 'kfp-proto');
const PROTOS = ['pipeline_spec.proto', 'kubernetes_executor_config.proto', 'google/rpc/status.proto'];

export default function setup(): void {
  if (process.env.KFP_PROTO_BINDINGS) return;
  const missing = PROTOS.filter((f) => !existsSync(join(KFP_PROTO_DIR, f)));
  if (missing.length > 0) throw new Error(`KFP's protobuf definitions are missing from ${KFP_PROTO_DIR}: ${missing.join(', ')}`);
  const tools: string[] = [];
  if (spawnSync('protoc', ['--version'], { stdio: 'ignore' }).status !== 0) tools.push('protobuf-compiler');
  if (spawnSync('/usr/bin/python3', ['-c', 'import google.protobuf'], { stdio: 'ignore' }).status !== 0) tools.push('python3-protobuf');
  if (tools.length > 0) {
    throw new Error(`The strict KFP check needs ${tools.join(' and ')}: apt-get install ${tools.join(' ')} (.ci/run and npm test install them as root)`);
  }
  // One folder per content of the .proto files: a changed definition builds afresh.
  const hash = createHash('sha256');
  for (const f of PROTOS) hash.update(f).update(readFileSync(join(KFP_PROTO_DIR, f)));
  const out = join(tmpdir(), `pipewright-kfp-proto-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(out, 'pipeline_spec_pb2.py'))) {
    const building = `${out}.${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const run = spawnSync('sh', [join(root, 'scripts', 'kfp-proto-setup.sh'), KFP_PROTO_DIR, building], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`Building KFP's protobuf bindings failed:\n${run.stderr || run.stdout}`);
    rmSync(out, { recursive: true, force: true });
    renameSync(building, out);
  }
  process.env.KFP_PROTO_BINDINGS = out;
}
