// The YAML language worker, bundled locally and loaded with Vite's `?worker` (never from a CDN).
import 'monaco-yaml/yaml.worker.js';
