/**
 * The Python that local stages run with: the configured interpreter, else the first of
 * /usr/bin/python3 and python3 on PATH that can import what the stages need. What is missing is
 * reported per stage, with the command that installs it, before any stage runs.
 */
import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { NodeCatalog } from '../../../shared/pipeline/catalog.ts';
import { resolveNode } from '../../../shared/pipeline/resolve.ts';
import type { PipelineDocument } from '../../../shared/pipeline/types.ts';

export interface PythonModule {
  module: string;
  /** Debian/Ubuntu package for the system Python, when there is one. */
  apt?: string;
  pip: string;
}

const TORCH: PythonModule = { module: 'torch', apt: 'python3-torch', pip: 'torch' };
const TRANSFORMERS: PythonModule = { module: 'transformers', pip: 'transformers' };
const PEFT: PythonModule = { module: 'peft', pip: 'peft' };
const UNSLOTH: PythonModule = { module: 'unsloth', pip: 'unsloth' };

/** What each stage (node id) must be able to import, from its type and engine. */
export function stageNeeds(doc: PipelineDocument, catalog: NodeCatalog): Map<string, PythonModule[]> {
  const needs = new Map<string, PythonModule[]>();
  for (const node of doc.nodes) {
    const resolved = resolveNode(node, catalog);
    const type = resolved?.spec.type;
    if (type === 'cpt' || type === 'sft') {
      const engine = resolved?.params.engine;
      if (engine === 'unsloth') needs.set(node.id, [TORCH, UNSLOTH]);
      else if (engine === 'transformers') needs.set(node.id, [TORCH, TRANSFORMERS, PEFT]);
      // `auto` may end on the tiny engine, which needs PyTorch alone.
      else needs.set(node.id, [TORCH]);
    } else if (type === 'eval') needs.set(node.id, [TORCH]);
  }
  return needs;
}

const PROBE = 'import importlib.util, json, sys\nprint(json.dumps({"version": list(sys.version_info[:3]), "missing": [m for m in sys.argv[1:] if importlib.util.find_spec(m) is None]}))';

interface Probe {
  version: number[];
  missing: string[];
}

/** Interpreters that had every module asked for: asked again, they still have them (a missing one may get installed). */
const satisfied = new Map<string, number[]>();

function probe(python: string, modules: string[]): Promise<Probe | undefined> {
  const key = `${python}\0${modules.join(',')}`;
  const known = satisfied.get(key);
  if (known) return Promise.resolve({ version: known, missing: [] });
  return new Promise((resolve) => {
    execFile(python, ['-c', PROBE, ...modules], { timeout: 30_000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const result = JSON.parse(stdout) as Probe;
        if (result.missing.length === 0) satisfied.set(key, result.version);
        resolve(result);
      } catch {
        resolve(undefined);
      }
    });
  });
}

function onPath(name: string, envPath: string | undefined): string[] {
  return (envPath ?? '').split(path.delimiter).flatMap((dir) => {
    const file = dir ? path.join(dir, name) : '';
    return file && existsSync(file) && statSync(file).isFile() ? [file] : [];
  });
}

export function pythonCandidates(configured: string | null | undefined, envPath = process.env.PATH): string[] {
  if (configured) return [configured];
  return [...new Set(['/usr/bin/python3', ...onPath('python3', envPath)].filter((p) => existsSync(p)))];
}

export function installCommand(python: string, mod: PythonModule): string {
  if (mod.apt && python === '/usr/bin/python3' && existsSync('/usr/bin/apt-get')) return `apt-get install ${mod.apt}`;
  return `${python} -m pip install ${mod.pip}`;
}

export type PythonChoice = { ok: true; python: string } | { ok: false; message: string };

/** Pick the interpreter, or explain (per stage, with install commands) why none can run these stages. */
export async function choosePython(configured: string | null | undefined, needs: Map<string, PythonModule[]>): Promise<PythonChoice> {
  const candidates = pythonCandidates(configured);
  if (candidates.length === 0) return { ok: false, message: 'No Python 3 interpreter found: install python3 or set one in Settings → Python interpreter' };
  const modules = [...new Set([...needs.values()].flat().map((m) => m.module))].sort();
  let first: { python: string; result: Probe } | undefined;
  for (const python of candidates) {
    const result = await probe(python, modules);
    if (!result) continue;
    if (result.version[0] !== 3 || result.version[1] < 9) continue;
    if (result.missing.length === 0) return { ok: true, python };
    first ??= { python, result };
  }
  if (!first) {
    const which = configured ? `The configured interpreter ${configured} does not` : `None of ${candidates.join(', ')}`;
    return { ok: false, message: `${which} run as Python 3.9 or newer, which the steps need (Settings → Python interpreter)` };
  }
  const lines = [...needs].flatMap(([stage, mods]) => {
    const missing = mods.filter((m) => first!.result.missing.includes(m.module));
    return missing.length === 0 ? [] : [`stage "${stage}" needs ${missing.map((m) => m.module).join(', ')}: install with ${missing.map((m) => installCommand(first!.python, m)).join(' && ')}`];
  });
  return { ok: false, message: `${first.python} cannot run these stages:\n${lines.join('\n')}` };
}

/** linkable() answers by interpreter path, kept while the file is the same (device, inode, size, time): one stat instead of five calls per run. */
const linkableKnown = new Map<string, { id: string; link: boolean }>();

/** Whether `python` can be linked to as is: a compiled program (ELF) outside any venv, so it finds its prefix through the link. */
export function linkable(python: string): boolean {
  const stat = statSync(python, { throwIfNoEntry: false });
  const id = stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}` : '';
  const known = linkableKnown.get(python);
  if (known && id && known.id === id) return known.link;
  const link = checkLinkable(python);
  if (id) linkableKnown.set(python, { id, link });
  return link;
}

function checkLinkable(python: string): boolean {
  const dir = path.dirname(python);
  if (existsSync(path.join(dir, 'pyvenv.cfg')) || existsSync(path.join(dir, '..', 'pyvenv.cfg'))) return false;
  const head = Buffer.alloc(4);
  let fd: number;
  try {
    fd = openSync(python, 'r');
  } catch {
    return false;
  }
  try {
    readSync(fd, head, 0, 4, 0);
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
  return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
}

/**
 * Put `python3` and `python` in `bin` (first on the stages' PATH), running `python`: a symbolic link
 * where that is the same program (one exec less per stage), else a script that execs it (a venv's
 * interpreter finds its venv by the path it is started as; a configured wrapper script stays a script).
 * A handful of small calls, made synchronously: each costs less than a trip through the thread pool.
 */
export async function installInterpreter(bin: string, python: string): Promise<void> {
  // A folder made just now holds nothing to replace.
  const made = mkdirSync(bin, { recursive: true }) !== undefined;
  const link = linkable(python);
  for (const name of ['python3', 'python']) {
    const file = path.join(bin, name);
    if (!made) rmSync(file, { force: true });
    if (link) symlinkSync(python, file);
    else writeFileSync(file, `#!/bin/sh\nexec '${python.replace(/'/g, `'"'"'`)}' "$@"\n`, { mode: 0o755 });
  }
}
