/**
 * KFP v2's launcher for the emulator's execute mode (backend/src/v2/component/launcher_v2.go), in front of the
 * component's real command in an executor pod: it resolves the command's placeholders from the executor input,
 * "downloads" input artifacts from the emulated object store (`<root>/kfp-object-store/<scheme>/<bucket>/<key>`)
 * to their local paths (`/minio/...`, `/s3/...`, `/gcs/...`), and once the command exited 0 reads each output
 * parameter from its `output_file` (parsed by the declared type) and uploads each output artifact; a missing one
 * fails the task as the launcher does. The driver that writes its executor input is kfp/execute.ts.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { LauncherHooks } from '../controller/exec.ts';
import { isRecord } from '../types.ts';
import type { Artifact, Execution, Json } from './mlmd.ts';
import { DriverError, flag, str } from './mlmd.ts';

/** Where the launcher's executor input asks for output parameters, as KFP's driver provisions them. */
export const OUTPUT_PARAMETERS_DIR = '/tmp/kfp/outputs';
export const EXECUTOR_OUTPUT_FILE = '/tmp/kfp_outputs/output_metadata.json';
/** Object-store schemes KFP's launcher maps to local paths (component.LocalPathForURI). */
const LOCAL_PREFIX: Record<string, string> = { 'minio://': '/minio/', 's3://': '/s3/', 'gs://': '/gcs/' };

/** What the launcher asks of the execution backend. */
export interface LauncherContext {
  /** The emulator's execute root: the object store lives under it. */
  root: string;
  /** The component's declared output parameters (their types), from the run's pipeline spec. */
  outputParameterDefinitions(runId: string, component: string): Record<string, Json>;
  /** A new artifact's identity in ML Metadata. */
  newArtifactName(): string;
  /** The execution completed with its outputs published (KFP's cache may reuse them from now on). */
  completed(execution: Execution): void;
}

/** A parameter value as the launcher puts it in a command line: strings as they are, the rest as JSON. */
function placeholderText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function localPath(uri: string): string {
  for (const [scheme, prefix] of Object.entries(LOCAL_PREFIX)) if (uri.startsWith(scheme)) return prefix + uri.slice(scheme.length);
  throw new DriverError(`artifact URI ${JSON.stringify(uri)}: only minio://, s3:// and gs:// are emulated`);
}

/** An output parameter file's text as the launcher reads it for the declared type. */
function parseOutput(text: string, type: string, name: string, file: string): unknown {
  const bad = (why: string) => new DriverError(`failed to read output parameter name="${name}" type="${type}" path="${file}": ${why}`);
  switch (type) {
    case 'STRING':
      return text;
    case 'NUMBER_INTEGER':
    case 'NUMBER_DOUBLE': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n) || (type === 'NUMBER_INTEGER' && !Number.isInteger(n))) throw bad(`${JSON.stringify(text)} is not a ${type === 'NUMBER_INTEGER' ? 'whole number' : 'number'}`);
      return n;
    }
    case 'BOOLEAN': {
      const t = text.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw bad(`${JSON.stringify(text)} is not true or false`);
      return t === 'true';
    }
    case 'LIST':
    case 'STRUCT': {
      try {
        const v = JSON.parse(text) as unknown;
        if (type === 'LIST' ? Array.isArray(v) : isRecord(v)) return v;
      } catch {
        // Refused below.
      }
      throw bad(`not a JSON ${type === 'LIST' ? 'list' : 'object'}`);
    }
    default:
      return text;
  }
}

/** The launcher in an executor pod: placeholders, artifacts in, output parameters and artifacts out. */
export function kfpLauncher(execution: Execution | undefined, runId: string, argv: string[], context: LauncherContext): LauncherHooks {
  let input: { inputs?: { parameterValues?: Json; artifacts?: Record<string, { artifacts?: Artifact[] }> }; outputs?: { parameters?: Record<string, { outputFile: string }>; artifacts?: Record<string, { artifacts?: Artifact[] }>; outputFile?: string } } = {};
  const store = (uri: string) => path.join(context.root, 'kfp-object-store', localPath(uri));
  let podDir = '';
  const local = (containerPath: string) => path.join(podDir, 'kfp-local', containerPath);
  return {
    prepare: (containerArgv, dir) => {
      podDir = dir;
      if (!execution || execution.runId !== runId) return { error: `launcher: execution ${flag(argv, '--execution_id')} of run ${runId} not found` };
      try {
        input = JSON.parse(flag(argv, '--executor_input') ?? '{}') as typeof input;
      } catch (err) {
        return { error: `launcher: --executor_input is not JSON: ${(err as Error).message}` };
      }
      const separator = containerArgv.indexOf('--');
      const user = separator >= 0 ? containerArgv.slice(separator + 1) : [];
      const lines = [`I launcher_v2.go] executor input: ${JSON.stringify(input.inputs ?? {})}`];
      try {
        for (const [name, list] of Object.entries(input.inputs?.artifacts ?? {})) {
          for (const a of list.artifacts ?? []) {
            const from = store(a.uri);
            if (!existsSync(from)) return { error: `launcher: failed to download input artifact "${name}" from remote storage URI "${a.uri}": not found` };
            const to = local(localPath(a.uri));
            mkdirSync(path.dirname(to), { recursive: true });
            cpSync(from, to, { recursive: true });
          }
        }
        for (const list of Object.values(input.outputs?.artifacts ?? {})) for (const a of list.artifacts ?? []) mkdirSync(path.dirname(local(localPath(a.uri))), { recursive: true });
      } catch (err) {
        return { error: `launcher: ${(err as Error).message}` };
      }
      mkdirSync(local(OUTPUT_PARAMETERS_DIR), { recursive: true });
      mkdirSync(local(path.dirname(EXECUTOR_OUTPUT_FILE)), { recursive: true });
      const values = input.inputs?.parameterValues ?? {};
      const firstArtifact = (io: 'inputs' | 'outputs', name: string) => input[io]?.artifacts?.[name]?.artifacts?.[0];
      const resolve = (text: string) =>
        text
          .replace(/\{\{\$\.inputs\.parameters\[['"]([^'"]+)['"]\]\}\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? placeholderText(values[name]) : whole))
          .replace(/\{\{\$\.(inputs|outputs)\.artifacts\[['"]([^'"]+)['"]\]\.(path|uri)\}\}/g, (whole, io: 'inputs' | 'outputs', name: string, kind: string) => {
            const a = firstArtifact(io, name);
            return a ? (kind === 'uri' ? a.uri : localPath(a.uri)) : whole;
          })
          .replace(/\{\{\$\.outputs\.parameters\[['"]([^'"]+)['"]\]\.output_file\}\}/g, (whole, name: string) => input.outputs?.parameters?.[name]?.outputFile ?? whole)
          .replace(/\{\{\$\}\}/g, () => JSON.stringify(input));
      // Only the object stores this task's artifacts use are mounted (their paths in the command are rewritten).
      const uris = [input.inputs?.artifacts, input.outputs?.artifacts].flatMap((m) => Object.values(m ?? {}).flatMap((l) => (l.artifacts ?? []).map((a) => a.uri)));
      const prefixes = Object.entries(LOCAL_PREFIX).filter(([scheme]) => uris.some((u) => u.startsWith(scheme))).map(([, prefix]) => prefix);
      const mounts: Array<[string, string]> = [
        ...prefixes.map((prefix) => [prefix.replace(/\/$/, ''), local(prefix)] as [string, string]),
        [OUTPUT_PARAMETERS_DIR, local(OUTPUT_PARAMETERS_DIR)],
        [path.dirname(EXECUTOR_OUTPUT_FILE), local(path.dirname(EXECUTOR_OUTPUT_FILE))],
      ];
      for (const [, to] of mounts) mkdirSync(to, { recursive: true });
      return { argv: user.map(resolve), mounts, lines };
    },
    finish: () => {
      if (!execution) return { lines: [], error: 'launcher: no execution' };
      const definitions = context.outputParameterDefinitions(runId, execution.component);
      try {
        for (const [name, p] of Object.entries(input.outputs?.parameters ?? {})) {
          const type = str(definitions[name]?.parameterType) || 'STRING';
          const file = local(p.outputFile);
          if (!existsSync(file)) throw new DriverError(`failed to read output parameter name="${name}" type="${type}" path="${p.outputFile}": open ${p.outputFile}: no such file or directory`);
          execution.outputParameters[name] = parseOutput(readFileSync(file, 'utf8'), type, name, p.outputFile);
        }
        for (const [name, list] of Object.entries(input.outputs?.artifacts ?? {})) {
          for (const a of list.artifacts ?? []) {
            const from = local(localPath(a.uri));
            if (!existsSync(from)) throw new DriverError(`failed to upload output artifact "${name}" to remote storage URI "${a.uri}": ${localPath(a.uri)}: no such file or directory`);
            const to = store(a.uri);
            rmSync(to, { recursive: true, force: true });
            mkdirSync(path.dirname(to), { recursive: true });
            cpSync(from, to, { recursive: true });
            execution.outputArtifacts[name] = { name: context.newArtifactName(), uri: a.uri, type: a.type };
          }
        }
      } catch (err) {
        execution.state = 'FAILED';
        return { lines: [`F launcher_v2.go] ${(err as Error).message}`], error: (err as Error).message };
      }
      execution.state = 'COMPLETE';
      context.completed(execution);
      return { lines: [`I launcher_v2.go] published outputs of execution ${execution.id}: ${JSON.stringify(execution.outputParameters)}`] };
    },
  };
}
