/** A Monaco editor (loaded lazily as its own chunk). */
import Editor from '@monaco-editor/react';
import type { OnMount } from '@monaco-editor/react';
import './setup.ts';

export interface MonacoViewProps {
  value: string;
  language: 'yaml' | 'python' | 'plaintext';
  readOnly?: boolean;
  dark: boolean;
  ariaLabel: string;
  /** Identifies the model, so each file keeps its own undo stack and scroll position. */
  path: string;
  onChange?(value: string): void;
  onBlur?(): void;
}

export default function MonacoView({ value, language, readOnly, dark, ariaLabel, path, onChange, onBlur }: MonacoViewProps) {
  const onMount: OnMount = (editor) => {
    if (onBlur) editor.onDidBlurEditorText(onBlur);
  };
  return (
    <Editor
      value={value}
      language={language}
      path={path}
      theme={dark ? 'vs-dark' : 'vs'}
      onMount={onMount}
      onChange={(v) => onChange?.(v ?? '')}
      loading={null}
      options={{
        readOnly,
        ariaLabel,
        minimap: { enabled: false },
        fontSize: 12.5,
        lineNumbersMinChars: 3,
        scrollBeyondLastLine: false,
        automaticLayout: true,
        tabSize: language === 'python' ? 4 : 2,
        renderWhitespace: 'selection',
        domReadOnly: readOnly,
        wordWrap: 'off',
        renderLineHighlight: readOnly ? 'none' : 'line',
      }}
    />
  );
}
