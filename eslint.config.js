import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The one dependency rule: shared <- node-catalog <- {electron, renderer}.
// Each layer lists the top-level folders it must never import from.
const layers = {
  shared: ['node-catalog', 'electron', 'renderer', 'test'],
  'node-catalog': ['electron', 'renderer', 'test'],
  electron: ['renderer', 'test'],
  renderer: ['electron', 'test'],
};

function forbidden(layer) {
  return layers[layer].flatMap((folder) => [`**/${folder}/**`, `**/${folder}`]);
}

const layerRules = Object.keys(layers).map((layer) => ({
  files: [`${layer}/**/*.{ts,tsx}`],
  ignores: [`${layer}/**/*.test.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [{ group: forbidden(layer), message: `layering: ${layer}/ must not import this folder (shared <- node-catalog <- {electron, renderer})` }],
        paths: layer === 'shared' || layer === 'node-catalog' || layer === 'renderer'
          ? [{ name: 'electron', message: `layering: only electron/main.ts and electron/preload.ts import 'electron'` }]
          : [],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules', 'dist', 'release', 'test-results', 'playwright-report', '**/*.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...layerRules,
  {
    // Only the two entry points of the desktop shell may load Electron at run time.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/renderer/**', '**/test/**'], message: 'layering: electron/ must not import renderer/ or test/' }],
          paths: [{ name: 'electron', message: "only electron/main.ts and electron/preload.ts import 'electron' (use `import type` elsewhere)", allowTypeImports: true }],
        },
      ],
    },
  },
);
