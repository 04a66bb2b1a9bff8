/** The selected Python step's code, in Monaco with Python highlighting. */
import { useTranslation } from 'react-i18next';
import { LazyMonaco } from '../monaco/LazyMonaco.tsx';
import { appStore, useAppStore } from '../store/index.ts';
import { useResolvedTheme } from '../theme.ts';

export function CodePane() {
  const { t } = useTranslation();
  const dark = useResolvedTheme() === 'dark';
  const node = useAppStore((s) => {
    const id = s.selectedNodeIds.length === 1 ? s.selectedNodeIds[0] : null;
    const n = id ? s.doc.nodes.find((x) => x.id === id) : undefined;
    return n?.type === 'python' ? n : undefined;
  });
  if (!node) return <div className="pane-empty">{t('code.selectPython')}</div>;
  return (
    <div className="code-pane">
      <LazyMonaco
        value={node.code ?? ''}
        language="python"
        dark={dark}
        ariaLabel={t('code.editorLabel', { id: node.id })}
        path={`code/${node.id}.py`}
        onChange={(code) => appStore.getState().dispatch({ type: 'patch-node', id: node.id, patch: { code } }, { mark: false })}
        onBlur={() => appStore.getState().markGesture()}
      />
    </div>
  );
}
