/**
 * The cluster data-check step (node-catalog/_datacheck) run in its `fingerprint` mode, for the tests that hold
 * it to the app's own fingerprints (dataCheckParity, dataCheckCredentials).
 */
import { execFile } from 'node:child_process';
import { catalog } from '../../../node-catalog/index.ts';
import { PYTHON } from '../../../node-catalog/steps.testkit.ts';
import { templateDocument } from '../../../node-catalog/templates/index.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';
import { dataCheckInputs } from '../../../shared/schedules/dataCheck/inputs.ts';
import type { DataFingerprint } from './dataChange.ts';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

/**
 * What the step at `script` would compare for `doc`'s inputs, and (given `before`) what it would say changed;
 * `env` is the step's whole environment.
 */
export function stepFingerprints(script: string, doc: PipelineDocument, env: NodeJS.ProcessEnv, before?: DataFingerprint[], pythonFlags: string[] = []): Promise<{ fingerprints: DataFingerprint[]; changes?: string[] }> {
  const args = [...pythonFlags, script, 'fingerprint', '--inputs', b64(dataCheckInputs(doc, catalog, {})), ...(before ? ['--before', b64(before)] : [])];
  return new Promise((resolve, reject) => {
    execFile(PYTHON, args, { env, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))));
  });
}

/** The fields the step and the app must agree on. */
export const comparable = (list: DataFingerprint[]) => list.map((f) => ({ nodeId: f.nodeId, param: f.param, uri: f.uri, sha256: f.sha256, bytes: f.bytes, objects: f.objects, unavailable: f.unavailable }));

/** The smoke template cut down to its corpus data set, reading `uri`. */
export function corpusOnly(uri: string): PipelineDocument {
  const doc = templateDocument('korean-llm-smoke')!;
  doc.nodes = doc.nodes.filter((n) => n.id === 'corpus');
  doc.edges = [];
  doc.nodes[0].params = { ...doc.nodes[0].params, uri };
  return doc;
}
