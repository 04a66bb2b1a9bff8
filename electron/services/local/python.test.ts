import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installInterpreter, linkable } from './python.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pw-python-'));
  dirs.push(dir);
  return dir;
}

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

describe('installInterpreter: python3 and python in the run bin folder', () => {
  it('links to a compiled interpreter outside a venv, and writes an exec script for a script or a venv interpreter', async () => {
    const root = tempDir();
    const elf = path.join(root, 'usr', 'python3');
    mkdirSync(path.dirname(elf), { recursive: true });
    writeFileSync(elf, ELF);
    await installInterpreter(path.join(root, 'run1', 'bin'), elf);
    for (const name of ['python3', 'python']) {
      expect(lstatSync(path.join(root, 'run1', 'bin', name)).isSymbolicLink()).toBe(true);
      expect(readlinkSync(path.join(root, 'run1', 'bin', name))).toBe(elf);
    }
    const venv = path.join(root, 'venv', 'bin', 'python3');
    mkdirSync(path.dirname(venv), { recursive: true });
    writeFileSync(venv, ELF);
    writeFileSync(path.join(root, 'venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    await installInterpreter(path.join(root, 'run2', 'bin'), venv);
    expect(lstatSync(path.join(root, 'run2', 'bin', 'python3')).isSymbolicLink()).toBe(false);
    expect(readFileSync(path.join(root, 'run2', 'bin', 'python3'), 'utf8')).toContain(`exec '${venv}' "$@"`);
  });

  it('asked again about the same file, answers the same; a file replaced since (now a script) is looked at again', async () => {
    const root = tempDir();
    const python = path.join(root, 'python3');
    writeFileSync(python, ELF);
    expect(linkable(python)).toBe(true);
    expect(linkable(python)).toBe(true);
    rmSync(python);
    writeFileSync(python, '#!/bin/sh\nexec /usr/bin/python3 "$@"\n', { mode: 0o755 });
    expect(linkable(python)).toBe(false);
    // Into a folder that already has the links of another interpreter: they are replaced.
    const bin = path.join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'python3'), 'old');
    await installInterpreter(bin, python);
    expect(readFileSync(path.join(bin, 'python3'), 'utf8')).toContain(`exec '${python}' "$@"`);
    expect(linkable(path.join(root, 'missing'))).toBe(false);
  });
});
