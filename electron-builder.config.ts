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
    hardenedRuntime: true,
  },
  dmg: { title: '${productName} ${version}' },
  win: { target: ['nsis'], icon: 'build/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
} satisfies Configuration;
