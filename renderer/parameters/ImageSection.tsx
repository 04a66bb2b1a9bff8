/** Which image a step runs in and why (node / type default / pipeline default), with the node's own image to set or clear. */
import { useTranslation } from 'react-i18next';
import type { NodeTypeSpec } from '../../shared/pipeline/catalog.ts';
import { stepImage } from '../../shared/pipeline/image.ts';
import type { PipelineNode, Problem } from '../../shared/pipeline/types.ts';
import { fieldDomId, problemsForField } from '../inspector/fieldKeys.ts';
import { TextField } from '../inspector/fields.tsx';
import { appStore, useAppStore } from '../store/index.ts';

export function ImageSection({ node, spec, problems }: { node: PipelineNode; spec: NodeTypeSpec; problems: readonly Problem[] }) {
  const { t } = useTranslation();
  const settings = useAppStore((s) => s.doc.settings);
  const inherited = stepImage({}, spec, settings);
  const { image, source } = stepImage(node, spec, settings);
  const set = (value: string | undefined, live: boolean) => appStore.getState().dispatch({ type: 'patch-node', id: node.id, patch: { image: value } }, { mark: !live });
  return (
    <section className="inspector-section image-section" data-testid="image-section">
      <h3>{t('parameters.image.title')}</h3>
      <TextField
        id={fieldDomId(node.id, 'image')}
        label={t('parameters.image.label')}
        value={node.image ?? ''}
        placeholder={inherited.image}
        problems={problemsForField(problems, node.id, 'image')}
        overridden={node.image !== undefined}
        onReset={() => set(undefined, false)}
        onCommit={(v) => set(v.trim() === '' ? undefined : v, true)}
      />
      <div className="small muted" data-testid="image-source">
        <code>{image}</code> — {t(`parameters.image.source.${source}`, { type: spec.type })}
      </div>
    </section>
  );
}
