import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderBuilderYml } from '../../build/write-builder-yml.ts';
import { missingSigningEnv, parseReleaseArgs, releaseBuilderArgs } from '../../scripts/release.ts';
import { createEmulatorProcess, isPackagedElectron } from '../services/kube/emulatorProcess.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const yml = read('electron-builder.yml');
const config = parse(yml) as Record<string, unknown> & { linux: { icon: string }; extraMetadata: { main: string } };

describe('packaging configuration', () => {
  it('electron-builder.yml is generated from the typed electron-builder.config.ts', () => {
    // On failure: npx tsx build/write-builder-yml.ts
    expect(yml).toBe(renderBuilderYml());
  });

  it("validates against electron-builder's own schema", () => {
    const schema = JSON.parse(read('node_modules/app-builder-lib/scheme.json')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it('names the app, its targets and a main that the build produces', () => {
    const packageJson = JSON.parse(read('package.json')) as { main: string; homepage?: string; author?: { email?: string } };
    expect(config).toMatchObject({
      appId: 'dev.pipewright.app',
      productName: 'Pipewright',
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(config.extraMetadata.main).toBe(packageJson.main);
    expect(read('scripts/build.mjs')).toContain("'main.cjs'");
    // The deb target refuses to build without these.
    expect(packageJson.homepage).toBeTruthy();
    expect(packageJson.author?.email).toBeTruthy();
  });

  it('has a 1024x1024 PNG icon', () => {
    const png = readFileSync(path.join(root, config.linux.icon));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });
});

describe('fuses', () => {
  it('flips the security fuses when the Electron binary is packaged', () => {
    // Read from the file electron-builder reads, not from the TypeScript it is generated from.
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // onlyLoadAppFromAsar and integrity validation mean nothing without an asar.
    expect(config.asar).toBe(true);
  });

  it('names only fuses that electron-builder knows (a misspelt one would be ignored)', () => {
    const schema = JSON.parse(read('node_modules/app-builder-lib/scheme.json')) as { definitions: { FuseOptionsV1: { properties: object } } };
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties);
    for (const fuse of Object.keys(config.electronFuses as object)) expect(known).toContain(fuse);
  });

  it('spawns no Node child of the app (runAsNode off would break it)', () => {
    // process.fork and execPath children need ELECTRON_RUN_AS_NODE, which the fuse turns off. The one
    // exception, the source checkout's Kubernetes emulator, is unavailable in an installed app (tested below).
    const allowed = [path.join('electron', 'services', 'kube', 'emulatorProcess.ts')];
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
        const relative = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(relative);
        else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !relative.startsWith(path.join('electron', 'cli'))) {
          if (/\bfork\(|process\.execPath|ELECTRON_RUN_AS_NODE/.test(read(relative))) offenders.push(relative);
        }
      }
    };
    walk('electron');
    expect(offenders.filter((file) => !allowed.includes(file))).toEqual([]);
  });

  it('an installed app does not offer the emulator (it would start itself instead of Node)', () => {
    expect(isPackagedElectron({ versions: { ...process.versions, electron: '45.6.1' } })).toBe(true);
    expect(isPackagedElectron({ versions: { ...process.versions, electron: '45.6.1' }, defaultApp: true })).toBe(false);
    expect(isPackagedElectron({ versions: process.versions })).toBe(false);
    const emulator = createEmulatorProcess({ dataDir: '/tmp/pw', root, packaged: true });
    expect(emulator.root).toBeNull();
    expect(emulator.unavailable).toContain('an installed app cannot start Node processes');
    expect(createEmulatorProcess({ dataDir: '/tmp/pw', root, packaged: false }).root).toBe(root);
  });
});

describe('signing and notarization', () => {
  const mac = config.mac as Record<string, unknown>;
  const win = config.win as Record<string, unknown> & { signtoolOptions: Record<string, unknown> };

  it('macOS: hardened runtime, our entitlements, notarization on', () => {
    expect(mac).toMatchObject({ hardenedRuntime: true, notarize: true, entitlements: 'build/entitlements.mac.plist', entitlementsInherit: 'build/entitlements.mac.plist' });
    // No identity or password in the config: they come from CSC_LINK / CSC_KEY_PASSWORD.
    expect(mac.identity).toBeUndefined();
    expect(yml).not.toMatch(/password|CSC_|APPLE_ID|APPLE_TEAM/i);
  });

  it('the entitlements relax only what V8 needs under the hardened runtime', () => {
    const plist = read(mac.entitlements as string);
    const enabled = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(enabled).toEqual(['com.apple.security.cs.allow-jit']);
    expect(plist).not.toMatch(/<false\/>/);
    expect(plist).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/);
  });

  it('Windows: SHA-256 signatures with a timestamp; the certificate from WIN_CSC_LINK', () => {
    expect(win.signtoolOptions).toEqual({ signingHashAlgorithms: ['sha256'], rfc3161TimeStampServer: expect.stringMatching(/^https?:\/\//) });
    expect(win.signtoolOptions.certificateFile).toBeUndefined();
  });

  it('a release names every variable it is missing, per platform', () => {
    expect(missingSigningEnv('mac', {}).map((line) => line.split(' ')[0])).toEqual(['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']);
    expect(missingSigningEnv('mac', { CSC_LINK: 'cert.p12', CSC_KEY_PASSWORD: 'x', APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: ' ', APPLE_TEAM_ID: 'ABCDE12345' })).toEqual([
      'APPLE_APP_SPECIFIC_PASSWORD (an app-specific password of that Apple ID (appleid.apple.com))',
    ]);
    expect(missingSigningEnv('win', {}).map((line) => line.split(' ')[0])).toEqual(['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD']);
    // electron-builder falls back to CSC_LINK / CSC_KEY_PASSWORD for Windows too.
    expect(missingSigningEnv('win', { CSC_LINK: 'c.pfx', WIN_CSC_KEY_PASSWORD: 'x' })).toEqual([]);
    expect(missingSigningEnv('linux', {})).toEqual([]);
  });

  it('a release build forces signing on macOS and Windows', () => {
    expect(releaseBuilderArgs('mac')).toEqual(['--mac', '--publish', 'never', '-c.forceCodeSigning=true']);
    expect(releaseBuilderArgs('win')).toContain('-c.forceCodeSigning=true');
    expect(releaseBuilderArgs('linux')).not.toContain('-c.forceCodeSigning=true');
    expect(parseReleaseArgs([], 'darwin')).toEqual({ platforms: ['mac'], checkOnly: false });
    expect(parseReleaseArgs(['--win', '--check'], 'linux')).toEqual({ platforms: ['win'], checkOnly: true });
    expect(() => parseReleaseArgs(['--macos'], 'linux')).toThrow(/unknown argument --macos/);
  });

  it('the README tells a maintainer which variables to set', () => {
    const readme = read('README.md');
    for (const name of ['CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID', 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'npm run release']) {
      expect(readme).toContain(name);
    }
  });
});

describe('Electron version', () => {
  it('is one of the three newest majors (the ones that get fixes)', () => {
    // Electron supports the latest three stable majors. Bump this floor when a new major ships.
    const packageJson = JSON.parse(read('package.json')) as { devDependencies: Record<string, string> };
    const wanted = Number(/\^?(\d+)\./.exec(packageJson.devDependencies.electron)?.[1]);
    const installed = JSON.parse(read('node_modules/electron/package.json')) as { version: string };
    expect(wanted).toBeGreaterThanOrEqual(43);
    expect(Number(installed.version.split('.')[0])).toBe(wanted);
  });
});
