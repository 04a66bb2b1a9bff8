/**
 * `npm run release -- [--mac] [--win] [--linux] [--check]`: signed installers. electron-builder reads the
 * certificates and Apple credentials from the environment (never from a file in the repository); this
 * script refuses to start a release build for macOS or Windows while any of them is missing, and turns on
 * `forceCodeSigning` so a build that could not sign fails instead of producing an unsigned installer.
 * `--check` only reports what is missing. Linux packages (AppImage, deb) are not signed.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ReleasePlatform = 'mac' | 'win' | 'linux';

interface SigningVariable {
  name: string;
  /** electron-builder also accepts this one in its place. */
  orElse?: string;
  what: string;
}

/** What each platform's signing and notarization read, as electron-builder names them. */
export const SIGNING_ENV: Record<ReleasePlatform, readonly SigningVariable[]> = {
  mac: [
    { name: 'CSC_LINK', what: 'the Developer ID Application certificate (.p12): a path, https URL or base64' },
    { name: 'CSC_KEY_PASSWORD', what: "the .p12's password" },
    { name: 'APPLE_ID', what: 'the Apple ID that notarizes' },
    { name: 'APPLE_APP_SPECIFIC_PASSWORD', what: 'an app-specific password of that Apple ID (appleid.apple.com)' },
    { name: 'APPLE_TEAM_ID', what: 'the 10-character team ID of the certificate' },
  ],
  win: [
    { name: 'WIN_CSC_LINK', orElse: 'CSC_LINK', what: 'the code-signing certificate (.pfx): a path, https URL or base64' },
    { name: 'WIN_CSC_KEY_PASSWORD', orElse: 'CSC_KEY_PASSWORD', what: "the .pfx's password" },
  ],
  linux: [],
};

/** The variables a release for `platform` still needs, each with what it holds. */
export function missingSigningEnv(platform: ReleasePlatform, env: Record<string, string | undefined>): string[] {
  const set = (name: string | undefined) => name !== undefined && (env[name] ?? '').trim() !== '';
  return SIGNING_ENV[platform].filter((v) => !set(v.name) && !set(v.orElse)).map((v) => `${v.name} (${v.what})`);
}

/** The electron-builder arguments of a release build. */
export function releaseBuilderArgs(platform: ReleasePlatform): string[] {
  const args = [`--${platform}`, '--publish', 'never'];
  return platform === 'linux' ? args : [...args, '-c.forceCodeSigning=true'];
}

export function parseReleaseArgs(argv: readonly string[], hostPlatform: NodeJS.Platform): { platforms: ReleasePlatform[]; checkOnly: boolean } {
  const known: ReleasePlatform[] = ['mac', 'win', 'linux'];
  const unknown = argv.filter((arg) => arg !== '--check' && !known.some((p) => arg === `--${p}`));
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown[0]}: use --mac, --win, --linux and/or --check`);
  const chosen = known.filter((p) => argv.includes(`--${p}`));
  const host: ReleasePlatform = hostPlatform === 'darwin' ? 'mac' : hostPlatform === 'win32' ? 'win' : 'linux';
  return { platforms: chosen.length > 0 ? chosen : [host], checkOnly: argv.includes('--check') };
}

function main(): number {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  let options: ReturnType<typeof parseReleaseArgs>;
  try {
    options = parseReleaseArgs(process.argv.slice(2), process.platform);
  } catch (error) {
    process.stderr.write(`release: ${(error as Error).message}\n`);
    return 2;
  }
  let missingAny = false;
  for (const platform of options.platforms) {
    const missing = missingSigningEnv(platform, process.env);
    if (missing.length > 0) {
      missingAny = true;
      process.stderr.write(`release: a signed ${platform} build needs these environment variables:\n${missing.map((m) => `  ${m}\n`).join('')}`);
    } else {
      process.stderr.write(`release: ${platform}: ${platform === 'linux' ? 'nothing to sign' : 'signing settings present'}\n`);
    }
  }
  if (missingAny) return 1;
  if (options.checkOnly) return 0;
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;
  for (const platform of options.platforms) {
    const builder = path.join(root, 'node_modules', 'electron-builder', 'cli.js');
    const result = spawnSync(process.execPath, [builder, ...releaseBuilderArgs(platform)], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) return result.status ?? 1;
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
