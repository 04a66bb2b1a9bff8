#!/usr/bin/env node
// `npm test`: every check the project has, in order, with one closing line "N passed, N failed".
// Missing system packages (Chromium for the UI tests, Debian's PyTorch for the step scripts) are
// installed first when this runs as root with apt, else named with the command that installs them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';

const SYSTEM_PACKAGES = [
  { pkg: 'chromium', present: () => existsSync('/usr/bin/chromium') },
  { pkg: 'python3-torch', present: () => python('import torch') },
  { pkg: 'python3-numpy', present: () => python('import numpy') },
  // Korean glyphs for the UI tests' screenshots.
  { pkg: 'fonts-nanum', present: () => existsSync('/usr/share/fonts/truetype/nanum') },
  // The monitoring exports are held to the real promtool, Pushgateway and Prometheus.
  { pkg: 'prometheus', present: () => existsSync('/usr/bin/promtool') && existsSync('/usr/bin/prometheus') },
  { pkg: 'prometheus-pushgateway', present: () => existsSync('/usr/bin/prometheus-pushgateway') },
  // KFP's own protobuf definitions, compiled by protoc: every compiled pipeline is parsed strictly.
  { pkg: 'protobuf-compiler', present: () => existsSync('/usr/bin/protoc') },
  // google/protobuf/*.proto, which KFP's protos import (a recommendation of protobuf-compiler, not a dependency).
  { pkg: 'libprotobuf-dev', present: () => existsSync('/usr/include/google/protobuf/struct.proto') },
  { pkg: 'python3-protobuf', present: () => python('import google.protobuf') },
  // boto3: the data check lists s3:// through it when AWS_ACCESS_KEY_ID is not set (as .ci/run installs it).
  { pkg: 'python3-boto3', present: () => python('import boto3') },
];

function python(code) {
  return existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', code], { stdio: 'ignore' }).status === 0;
}

function run(label, cmd, args, options = {}) {
  console.log(`\n== ${label}: ${[cmd, ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  return result.status === 0;
}

function ensureSystemPackages() {
  const missing = SYSTEM_PACKAGES.filter((p) => !p.present()).map((p) => p.pkg);
  if (missing.length === 0) return true;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    return (
      run('system packages', 'apt-get', ['update', '-qq'], { env }) &&
      run('system packages', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env })
    );
  }
  console.error(`Missing system packages: ${missing.join(', ')}. Install them with: sudo apt-get install ${missing.join(' ')}`);
  return false;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

mkdirSync('test-results', { recursive: true });
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const check = (label, ok) => {
  if (!ok) failures.push(label);
};

check('system packages', ensureSystemPackages());
check('generated catalog is fresh', run('catalog', 'node', ['scripts/gen-catalog-scripts.mjs', '--check']));
check('typecheck', run('typecheck', npx, ['tsc', '-p', 'tsconfig.json', '--noEmit']));
check('lint', run('lint', npx, ['eslint', '--max-warnings', '0', '.']));

const unitOk = run('unit and integration tests', npx, [
  'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json',
]);
check('vitest', unitOk);
const vitest = readJson('test-results/vitest.json');
if (vitest) {
  passed += vitest.numPassedTests ?? 0;
  failed += vitest.numFailedTests ?? 0;
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
}

if (existsSync('playwright.config.ts')) {
  const e2eOk = run('end-to-end tests (Chromium)', npx, ['playwright', 'test']);
  check('playwright', e2eOk);
  const e2e = readJson('test-results/e2e.json');
  if (e2e?.stats) {
    passed += e2e.stats.expected ?? 0;
    failed += (e2e.stats.unexpected ?? 0) + (e2e.stats.flaky ?? 0);
    skipped += e2e.stats.skipped ?? 0;
  }
}

console.log('');
if (failures.length > 0) console.log(`Failed steps: ${failures.join(', ')}`);
if (failures.length > 0 && failed === 0) failed = failures.length;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length > 0 ? 1 : 0);
