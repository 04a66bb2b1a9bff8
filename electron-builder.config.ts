/**
 * Packaging, typed against electron-builder's own Configuration. electron-builder reads
 * electron-builder.yml, which is generated from this file: `npx tsx build/write-builder-yml.ts`
 * (a test fails when the two differ).
 */
import type { Configuration } from 'electron-builder';

export const builderConfig = {
  appId: 'dev.pipewright.app',
  productName: 'Pipewright',
  copyright: 'Copyright © Pipewright contributors',
  directories: { output: 'release', buildResources: 'build' },
  // Main, preload and server are bundled by scripts/build.mjs; the app needs no node_modules.
  files: ['dist/electron/**/*', 'dist/renderer/**/*', 'package.json', '!node_modules/**/*', '!**/*.map'],
  extraMetadata: { main: 'dist/electron/main.cjs' },
  asar: true,
  // Fuses are flipped in the Electron binary itself when it is packaged (@electron/fuses): the shipped app
  // cannot be turned into a plain Node (ELECTRON_RUN_AS_NODE), take code through NODE_OPTIONS or a
  // debugger (--inspect, SIGUSR1), or load anything but its own, integrity-checked app.asar.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
    enableCookieEncryption: true,
    // The renderer is served from app://, never file://.
    grantFileProtocolExtraPrivileges: false,
  },
  artifactName: '${productName}-${version}-${arch}.${ext}',
  publish: null,
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icon.png',
    category: 'Development',
    synopsis: 'Draw, compile, run and watch LLM training pipelines',
    maintainer: 'Pipewright <team@pipewright.dev>',
  },
  deb: { depends: ['libgtk-3-0', 'libnss3', 'libxss1', 'libasound2'] },
  mac: {
    target: ['dmg'],
    icon: 'build/icon.png',
    category: 'public.app-category.developer-tools',
    // Signed with the Developer ID certificate in CSC_LINK / CSC_KEY_PASSWORD and notarized with
    // APPLE_ID / APPLE_APP_SPECIFIC_PASSWORD / APPLE_TEAM_ID when those are set (scripts/release.mjs
    // refuses a release build without them). Under the hardened runtime V8 needs only allow-jit.
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.plist',
    notarize: true,
  },
  dmg: { title: '${productName} ${version}' },
  // Signed with the certificate in WIN_CSC_LINK / WIN_CSC_KEY_PASSWORD (a .pfx), SHA-256 and an RFC 3161 timestamp.
  win: {
    target: ['nsis'],
    icon: 'build/icon.png',
    signtoolOptions: { signingHashAlgorithms: ['sha256'], rfc3161TimeStampServer: 'http://timestamp.digicert.com' },
  },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
} satisfies Configuration;
