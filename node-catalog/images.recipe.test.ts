/**
 * The training image's recipe (images/train) and the step scripts agree: every third-party module a step that
 * runs in the training image imports (import statements and require/is_importable calls, read by Python's own
 * parser) is installed by requirements.txt or is the base image's torch, and node-catalog/images.ts says the
 * image carries exactly those packages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KNOWN_IMAGES } from './images.ts';
import { catalog } from './index.ts';
import { TRAINING_IMAGE } from './params.ts';
import { STEP_SCRIPTS } from './scripts.generated.ts';
import { PYTHON } from './steps.testkit.ts';

const RECIPE = resolve(import.meta.dirname, '../images/train');
// Distributions whose import name is not the distribution name with '-' as '_'.
const IMPORT_NAMES: Record<string, string> = { pyyaml: 'yaml', 'google-cloud-storage': 'google' };

/** Import names the recipe installs: its pinned requirements plus torch from a PyTorch base image. */
function recipeImports(): Set<string> {
  const pins = readFileSync(join(RECIPE, 'requirements.txt'), 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  const names = new Set<string>();
  for (const pin of pins) {
    const m = /^([A-Za-z0-9_.-]+)==[0-9][\w.]*$/.exec(pin);
    if (!m) throw new Error(`requirements.txt: "${pin}" is not an exact pin (name==version)`);
    const dist = m[1].toLowerCase();
    names.add(IMPORT_NAMES[dist] ?? dist.replace(/-/g, '_'));
  }
  const base = /^FROM\s+(\S+)/m.exec(readFileSync(join(RECIPE, 'Dockerfile'), 'utf8'))?.[1] ?? '';
  if (/^(docker\.io\/)?pytorch\/pytorch:\d/.test(base)) names.add('torch');
  return names;
}

const work = mkdtempSync(join(tmpdir(), 'pipewright-recipe-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The third-party modules each script imports, by images/train/step_imports.py. */
function stepImports(types: string[]): Record<string, string[]> {
  const files = types.map((t) => {
    const file = join(work, `${t}.py`);
    writeFileSync(file, STEP_SCRIPTS[t]);
    return file;
  });
  const out = JSON.parse(execFileSync(PYTHON, [join(RECIPE, 'step_imports.py'), ...files], { encoding: 'utf8' })) as Record<string, string[]>;
  return Object.fromEntries(types.map((t, i) => [t, out[files[i]]]));
}

const trainingTypes = [...catalog.types.values()].filter((t) => t.image === TRAINING_IMAGE).map((t) => t.type).sort();

describe('the training image recipe', () => {
  it('is used by cpt, sft, eval and ko-bench', () => {
    expect(trainingTypes).toEqual(['cpt', 'eval', 'ko-bench', 'sft']);
  });

  it('installs every package those steps import', () => {
    const installed = recipeImports();
    const imports = stepImports(trainingTypes);
    for (const type of trainingTypes) {
      expect(imports[type]).toContain('transformers'); // the scan sees the GPU path
      expect({ type, missing: imports[type].filter((m) => !installed.has(m)) }).toEqual({ type, missing: [] });
    }
  });

  it('pins the libraries the issue names, each exactly', () => {
    const installed = recipeImports();
    for (const name of ['unsloth', 'trl', 'transformers', 'peft', 'bitsandbytes', 'datasets', 'accelerate', 'mlflow', 'prometheus_client', 'torch']) expect(installed).toContain(name);
  });

  it('agrees with the image table of node-catalog/images.ts', () => {
    const entry = KNOWN_IMAGES.find((i) => i.repository === TRAINING_IMAGE.split(':')[0])!;
    expect([...entry.packages].sort()).toEqual([...recipeImports()].sort());
  });

  it('the scanner sees imports inside functions and require() calls, and leaves the standard library out', () => {
    const file = join(work, 'probe.py');
    writeFileSync(file, 'import os, json\nfrom collections import deque\ndef f():\n    import numpy.linalg\n    from scipy import stats\n    return require("sentencepiece", "pip", "x"), is_importable("tokenizers.x")\n');
    const out = JSON.parse(execFileSync(PYTHON, [join(RECIPE, 'step_imports.py'), file], { encoding: 'utf8' })) as Record<string, string[]>;
    expect(out[file]).toEqual(['numpy', 'scipy', 'sentencepiece', 'tokenizers']);
  });
});
