import { describe, expect, it } from 'vitest';
import { commandNames, loadCommand, runCli } from './main.ts';
import type { CliIo } from './types.ts';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    cwd: process.cwd(),
    env: {},
    isTTY: false,
    signal: new AbortController().signal,
  };
  return { io, out: () => out, err: () => err };
}

describe('the command registry', () => {
  it('finds validate and compile among the files in commands/', () => {
    expect(commandNames()).toEqual(expect.arrayContaining(['compile', 'validate']));
  });

  it.each(commandNames())('commands/%s.ts exports a well-formed command', async (name) => {
    const command = await loadCommand(name);
    expect(command?.name).toBe(name);
    expect(command?.summary).toMatch(/^[A-Z].{5,80}$/);
    expect(command?.usage.startsWith(`pipewright ${name}`)).toBe(true);
    expect(typeof command?.run).toBe('function');
  });

  it('knows nothing of names that are not command files', async () => {
    expect(await loadCommand('../main')).toBeUndefined();
    expect(await loadCommand('args')).toBeUndefined();
  });
});

describe('runCli', () => {
  it('without arguments prints the help and exits 2', async () => {
    const c = capture();
    expect(await runCli([], c.io)).toBe(2);
    expect(c.out()).toMatch(/Commands:/);
  });

  it('answers a file it cannot read with status 1 and a message', async () => {
    const c = capture();
    const status = await runCli(['validate', 'x.json'], { ...c.io, cwd: '/nonexistent/dir' });
    expect(status).toBe(1);
    expect(c.err()).toMatch(/Cannot read "x\.json"/);
  });
});
