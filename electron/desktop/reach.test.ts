import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiMethods } from '../../shared/api/methods.ts';
import { ACTIVATION_METHODS, createLinkGate, createReach, exportNameProblem, linkProblem, REACH_REVIEW } from './reach.ts';
import type { ReachOptions } from './reach.ts';

const HOME = path.resolve('/home/u');
const at = (...parts: string[]) => path.join(HOME, ...parts);

function setup(overrides: Partial<ReachOptions> = {}) {
  const recent: string[] = [];
  const asked: [string, string | null][] = [];
  let answer = false;
  let python: string | null = null;
  const reach = createReach({
    recentFiles: async () => recent,
    currentPythonPath: async () => python,
    confirmPythonChange: async (next, current) => {
      asked.push([next, current]);
      return answer;
    },
    // Kubeconfig programs have their own tests (reach-kubeconfig.test.ts): allowed here.
    currentKubeconfigFiles: async () => [],
    unconfirmedKubeconfigPrograms: async () => [],
    confirmKubeconfigPrograms: async () => true,
    recordKubeconfigConfirmed: async () => undefined,
    platform: 'linux',
    ...overrides,
  });
  const chosen: { open: string | null; save: string | null; folder: string | null } = { open: null, save: null, folder: null };
  const dialogs = reach.recordDialogs({
    showOpenDialog: async () => chosen.open,
    showSaveDialog: async () => chosen.save,
    showFolderDialog: async () => chosen.folder,
  });
  // As if clicked: these tests are about the other rules.
  const refusal = async (method: string, ...args: unknown[]) => {
    try {
      await reach.check(method, args, { activated: true });
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };
  return {
    reach,
    dialogs,
    chosen,
    recent,
    asked,
    refusal,
    answer: (value: boolean) => (answer = value),
    setPython: (value: string | null) => (python = value),
  };
}

describe('reach: files are opened and saved only where the user chose', () => {
  it('refuses a path no dialog returned and the recent list does not hold, naming it', async () => {
    const { refusal } = setup();
    expect(await refusal('openFile', at('.ssh', 'id_rsa.json'))).toBe(
      `Refused by the desktop app: cannot open ${at('.ssh', 'id_rsa.json')}: it was not chosen in a file dialog in this session and is not in the recent files list. Use File > Open or Save As.`,
    );
    expect(await refusal('saveFile', { path: at('.bashrc.json'), document: {} })).toMatch(/cannot save to .*\.bashrc\.json: it was not chosen in a file dialog/);
  });

  it('allows the file the open dialog returned, and only that one', async () => {
    const { dialogs, chosen, refusal } = setup();
    chosen.open = at('work', 'a.pipewright.json');
    expect(await dialogs.showOpenDialog()).toBe(at('work', 'a.pipewright.json'));
    expect(await refusal('openFile', at('work', 'a.pipewright.json'))).toBeNull();
    // Saving back to the opened file is Save.
    expect(await refusal('saveFile', { path: at('work', 'a.pipewright.json') })).toBeNull();
    expect(await refusal('openFile', at('work', 'b.pipewright.json'))).toMatch(/cannot open/);
    // The same file spelled another way is the same file.
    expect(await refusal('openFile', at('work', 'sub', '..', 'a.pipewright.json'))).toBeNull();
  });

  it('a cancelled dialog grants nothing', async () => {
    const { dialogs, refusal } = setup();
    expect(await dialogs.showOpenDialog()).toBeNull();
    expect(await dialogs.showSaveDialog('x')).toBeNull();
    expect(await refusal('openFile', at('x.json'))).toMatch(/cannot open/);
  });

  it('allows the path the save dialog returned, for saving', async () => {
    const { dialogs, chosen, refusal } = setup();
    chosen.save = at('new.pipewright.json');
    await dialogs.showSaveDialog('new');
    expect(await refusal('saveFile', { path: at('new.pipewright.json') })).toBeNull();
  });

  it('allows files in the recent files list, read at each check', async () => {
    const { recent, refusal } = setup();
    recent.push(at('old.pipewright.json'));
    expect(await refusal('addSchedule', at('other.pipewright.json'), {})).toMatch(/cannot schedule .*other\.pipewright\.json/);
    expect(await refusal('addSchedule', at('old.pipewright.json'), {})).toBeNull();
    recent.splice(0);
    recent.push(at('kept.pipewright.json'));
    expect(await refusal('saveFile', { path: at('kept.pipewright.json') })).toBeNull();
    // Removed from the list before it was ever used this session: refused.
    recent.splice(0);
    expect(await refusal('openFile', at('never-used.pipewright.json'))).toMatch(/cannot open/);
  });

  it('a file opened from the recent list stays usable when the list is cleared (the open document can still be saved)', async () => {
    const { recent, refusal } = setup();
    recent.push(at('doc.pipewright.json'));
    expect(await refusal('openFile', at('doc.pipewright.json'))).toBeNull();
    recent.splice(0);
    expect(await refusal('saveFile', { path: at('doc.pipewright.json') })).toBeNull();
  });

  it('allows a file named on the command line or by a second instance', async () => {
    const { reach, refusal } = setup();
    reach.grantFile(at('cli.pipewright.json'));
    expect(await refusal('openFile', at('cli.pipewright.json'))).toBeNull();
  });

  it('saveFile writes .json files only, even where the user chose', async () => {
    const { reach, dialogs, chosen, refusal } = setup();
    chosen.save = at('notes.txt');
    await dialogs.showSaveDialog('notes');
    reach.grantFile(at('evil.sh'));
    expect(await refusal('saveFile', { path: at('notes.txt') })).toBe(`Refused by the desktop app: Pipewright saves pipelines only to .json files, not to ${at('notes.txt')}.`);
    expect(await refusal('saveFile', { path: at('evil.sh') })).toMatch(/only to \.json files/);
    expect(await refusal('saveFile', { path: at('UPPER.JSON') })).toMatch(/not chosen in a file dialog/);
  });

  it('a folder chosen for export does not make its files openable', async () => {
    const { dialogs, chosen, refusal } = setup();
    chosen.folder = at('out');
    await dialogs.showFolderDialog();
    expect(await refusal('openFile', at('out'))).toMatch(/cannot open/);
    expect(await refusal('saveFile', { path: at('out', 'x.json') })).toMatch(/cannot save to/);
  });

  it('compares paths without case where the file system does (Windows, macOS)', async () => {
    const { reach, refusal } = setup({ platform: 'win32' });
    reach.grantFile(at('Work', 'A.pipewright.json'));
    expect(await refusal('openFile', at('work', 'a.pipewright.json'))).toBeNull();
    const linux = setup();
    linux.reach.grantFile(at('Work', 'A.pipewright.json'));
    expect(await linux.refusal('openFile', at('work', 'a.pipewright.json'))).toMatch(/cannot open/);
  });

  it('leaves malformed arguments to the argument validation', async () => {
    const { refusal } = setup();
    expect(await refusal('openFile', 42)).toBeNull();
    expect(await refusal('saveFile', null)).toBeNull();
    expect(await refusal('openFile', 'relative.json')).toBeNull();
  });
});

describe('reach: exports', () => {
  it('go only into the folder the folder dialog returned in this session', async () => {
    const { dialogs, chosen, refusal } = setup();
    expect(await refusal('exportFiles', { dir: at('out'), files: { 'pipeline.yaml': '' } })).toBe(
      `Refused by the desktop app: cannot export to ${at('out')}: it was not chosen in the export folder dialog in this session.`,
    );
    chosen.folder = at('out');
    await dialogs.showFolderDialog();
    expect(await refusal('exportFiles', { dir: at('out'), files: { 'pipeline.yaml': '', 'steps/cpt.py': '', 'dvc.yaml': '' } })).toBeNull();
    // Not a folder below it, nor its parent.
    expect(await refusal('exportFiles', { dir: at('out', 'sub'), files: { 'a.yaml': '' } })).toMatch(/cannot export to/);
    expect(await refusal('exportFiles', { dir: HOME, files: { 'a.yaml': '' } })).toMatch(/cannot export to/);
  });

  it.each([
    ['.bashrc', 'starts with a dot'],
    ['steps/.hidden.py', '".hidden.py" starts with a dot'],
    ['.git/hooks/pre-commit', '".git" starts with a dot'],
    ['../outside.yaml', 'leaves the chosen folder'],
    ['steps/../../outside.yaml', 'leaves the chosen folder'],
    ['/etc/cron.d/job', 'absolute path'],
    ['C:/Windows/evil.dll', 'absolute path'],
    ['steps\\..\\..\\evil.py', 'backslash'],
    ['file.txt:stream', 'contains ":"'],
    ['steps//cpt.py', 'empty part'],
    ['steps/', 'empty part'],
  ])('refuses the export name %s (%s), and exports nothing', async (name, why) => {
    const { dialogs, chosen, refusal } = setup();
    chosen.folder = at('out');
    await dialogs.showFolderDialog();
    expect(exportNameProblem(name)).toContain(why);
    const message = await refusal('exportFiles', { dir: at('out'), files: { 'pipeline.yaml': 'ok', [name]: 'x' } });
    expect(message).toContain(`nothing was exported: the file name "${name}" is refused because`);
    expect(message).toContain(why);
  });

  it('names the compilers write pass', () => {
    for (const name of ['pipeline.yaml', 'dvc.yaml', 'params.yaml', 'steps/cpt.py', 'steps/ko-bench.py', 'grafana/dashboard.json', 'prometheus/rules.yaml']) {
      expect(exportNameProblem(name)).toBeNull();
    }
  });
});

describe('reach: the Python interpreter', () => {
  it('a change is asked for in the native dialog; declined, it is refused with the path', async () => {
    const { refusal, asked, setPython } = setup();
    setPython('/usr/bin/python3');
    expect(await refusal('updateSettings', { pythonPath: '/tmp/evil/python' })).toBe(
      'Refused by the desktop app: the Python interpreter was not changed: using /tmp/evil/python for local runs was not confirmed.',
    );
    expect(asked).toEqual([['/tmp/evil/python', '/usr/bin/python3']]);
  });

  it('confirmed, it goes through', async () => {
    const { refusal, asked, answer } = setup();
    answer(true);
    expect(await refusal('updateSettings', { pythonPath: '/opt/conda/bin/python' })).toBeNull();
    expect(asked).toEqual([['/opt/conda/bin/python', null]]);
  });

  it('no dialog for the same interpreter, a reset to the default, or other settings', async () => {
    const { refusal, asked, setPython } = setup();
    setPython('/usr/bin/python3');
    expect(await refusal('updateSettings', { pythonPath: '/usr/bin/python3' })).toBeNull();
    expect(await refusal('updateSettings', { pythonPath: null })).toBeNull();
    expect(await refusal('updateSettings', { language: 'ko', localConcurrency: 2 })).toBeNull();
    expect(asked).toEqual([]);
  });
});

describe('reach: every method is reviewed', () => {
  it('the review table names every method of the contract, and the gated ones are gated', async () => {
    expect(Object.keys(REACH_REVIEW).sort()).toEqual(Object.keys(apiMethods).sort());
    for (const method of Object.keys(ACTIVATION_METHODS)) expect(REACH_REVIEW[method as keyof typeof REACH_REVIEW]).toMatch(/^gated: after a click/);
    // Everything the table calls gated or refused is refused for a script with made-up arguments.
    const { reach } = setup();
    const madeUp: Record<string, unknown[]> = {
      openFile: [at('x.json')],
      saveFile: [{ path: at('x.json') }],
      exportFiles: [{ dir: at('out'), files: {} }],
      listDirectory: [null, {}],
      updateSettings: [{ kubeconfigFiles: [] }],
      startRun: [{}],
      retryRun: ['r'],
      addSchedule: [at('x.json'), {}],
      startKubeEmulator: [],
      addClusterSchedule: [{}, {}, {}],
      setClusterSchedulePaused: [{}, 'nightly', false],
    };
    for (const [method, why] of Object.entries(REACH_REVIEW)) {
      if (!/^(gated|refused)/.test(why)) continue;
      await expect(reach.check(method, madeUp[method]!, { activated: false }), method).rejects.toThrow(/^Refused by the desktop app/);
    }
  });
});

describe('reach: other methods', () => {
  it("listDirectory (browser mode's file dialog) is not served to the desktop window", async () => {
    const { refusal } = setup();
    expect(await refusal('listDirectory', null, {})).toBe(
      "Refused by the desktop app: listDirectory is browser mode's own file dialog; the desktop app uses the system's file dialogs.",
    );
    expect(await refusal('listDirectory', '/', { filter: 'all' })).toMatch(/listDirectory/);
  });

  it('everything else passes to the back end unchanged', async () => {
    const { refusal } = setup();
    for (const method of ['getAppInfo', 'listRuns', 'getSettings', 'listRecentFiles', 'startRun', 'showOpenDialog']) {
      expect(await refusal(method)).toBeNull();
    }
  });
});

describe('reach: calls that run code follow a click or key press', () => {
  const clicked = { activated: true };
  const scripted = { activated: false };
  const check = async (reach: ReturnType<typeof setup>['reach'], method: string, args: unknown[], context?: { activated: boolean }) => {
    try {
      await reach.check(method, args, context);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each([
    ['startRun', [{ target: 'local' }], 'Starting a run'],
    ['retryRun', ['run-1'], 'Retrying a run'],
    ['startKubeEmulator', [], 'Starting the local cluster emulator'],
    ['addClusterSchedule', [{ target: 'argo' }, {}, {}], 'Creating a schedule on a cluster'],
    ['setClusterSchedulePaused', [{ target: 'kfp' }, 'id-1', false], 'Pausing or resuming a cluster schedule'],
    ['updateSettings', [{ kubeconfigFiles: ['/home/u/out/kubeconfig.yaml'] }], 'changing the kubeconfig files'],
  ])('%s is refused without one and served with one', async (method, args, what) => {
    const { reach } = setup();
    expect(await check(reach, method, args, scripted)).toBe(`Refused by the desktop app: ${what} runs code, so it must follow a click or key press in the window; none came before this call.`);
    expect(await check(reach, method, args)).toMatch(/must follow a click/);
    expect(await check(reach, method, args, clicked)).toBeNull();
  });

  it('addSchedule needs both the click and a file the user chose', async () => {
    const { reach, recent } = setup();
    recent.push(at('p.pipewright.json'));
    expect(await check(reach, 'addSchedule', [at('p.pipewright.json'), {}], scripted)).toMatch(/Adding a schedule runs code/);
    expect(await check(reach, 'addSchedule', [at('q.pipewright.json'), {}], clicked)).toMatch(/cannot schedule/);
    expect(await check(reach, 'addSchedule', [at('p.pipewright.json'), {}], clicked)).toBeNull();
  });

  it('reading calls and other settings need none', async () => {
    const { reach } = setup();
    for (const [method, args] of [['listRuns', []], ['getRun', ['r']], ['cancelRun', ['r']], ['updateSettings', [{ theme: 'dark', kubeContext: 'prod' }]]] as const) {
      expect(await check(reach, method, [...args], scripted)).toBeNull();
    }
  });
});

describe('links open in the browser only as a click would', () => {
  it.each([
    ['file:///etc/passwd', 'only http and https links open in the browser, not file:'],
    ['javascript:alert(1)', 'not javascript:'],
    ['app://pipewright/index.html', 'not app:'],
    ['smb://server/share', 'not smb:'],
    ['ms-settings:privacy', 'not ms-settings:'],
    ['https://user:secret@mlflow.example/', 'user name or password'],
    ['not a url', 'is not a URL'],
    ['', 'no URL was given'],
    [`https://x.example/${'a'.repeat(5000)}`, 'longer than 4096'],
  ])('refuses %s', async (url, why) => {
    const opened: string[] = [];
    const gate = createLinkGate({ openExternal: (u) => void opened.push(u) });
    expect(linkProblem(url)).toContain(why);
    expect(await gate.open(url)).toEqual({ ok: false, message: expect.stringContaining(why) });
    expect(opened).toEqual([]);
  });

  it('opens http and https links, one per click, at most 10 a minute', async () => {
    let now = 1_000_000;
    const opened: string[] = [];
    const gate = createLinkGate({ openExternal: (u) => void opened.push(u), now: () => now });
    expect(await gate.open('https://mlflow.example/#/experiments/1/runs/abc')).toEqual({ ok: true });
    expect(await gate.open('http://mlflow.ml.svc:5000/')).toEqual({ ok: false, message: 'Not opened: another link opened 0 ms ago (one click opens one link).' });
    for (let i = 0; i < 9; i += 1) {
      now += 1000;
      expect(await gate.open(`http://mlflow.ml.svc:5000/${i}`)).toEqual({ ok: true });
    }
    now += 1000;
    expect(await gate.open('https://x.example/')).toEqual({ ok: false, message: 'Not opened: 10 links were opened in the last minute.' });
    now += 60_000;
    expect(await gate.open('https://x.example/')).toEqual({ ok: true });
    expect(opened).toHaveLength(11);
  });
});

/** The IPC handler consults the gate: a refused call never reaches the back end. */
