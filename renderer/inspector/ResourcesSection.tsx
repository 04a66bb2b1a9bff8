/** GPUs, GPU resource name and product, CPU, memory (checked as Kubernetes quantities) and tolerations. */
import { useTranslation } from 'react-i18next';
import type { NodeResources, PipelineNode, Problem } from '../../shared/pipeline/types.ts';
import { GPU_PRODUCTS } from '../../shared/estimate/gpus.ts';
import { parseQuantity } from '../../shared/pipeline/quantity.ts';
import { appStore } from '../store/index.ts';
import { fieldDomId, problemsForField } from './fieldKeys.ts';
import { NumberField, TextField } from './fields.tsx';
import { TolerationsEditor } from './TolerationsEditor.tsx';

const GPU_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915'];
// Every product the GPU estimate knows (its memory fit and time are checked only for these).
const GPU_PRODUCT_LABELS = GPU_PRODUCTS.map((p) => p.label);

interface Props {
  node: PipelineNode;
  defaults: NodeResources;
  problems: readonly Problem[];
}

export function ResourcesSection({ node, defaults, problems }: Props) {
  const { t } = useTranslation();
  const own = node.resources ?? {};
  const set = (patch: Partial<NodeResources>, live = true) => appStore.getState().dispatch({ type: 'set-resources', id: node.id, patch }, { mark: !live });
  const field = (key: string) => ({ id: fieldDomId(node.id, `resources.${key}`), problems: problemsForField(problems, node.id, `resources.${key}`) });
  const quantity = (text: string) => {
    const r = parseQuantity(text);
    return r.ok ? null : t('inspector.badQuantity', { text, reason: r.reason });
  };
  const reset = (key: keyof NodeResources) => () => set({ [key]: undefined }, false);
  return (
    <section className="inspector-section" aria-labelledby={`${node.id}-resources`}>
      <h3 id={`${node.id}-resources`}>{t('inspector.resources')}</h3>
      <NumberField
        {...field('gpus')}
        label={t('inspector.gpus')}
        integer
        min={0}
        value={own.gpus ?? defaults.gpus ?? 0}
        placeholder={String(defaults.gpus ?? 0)}
        onCommit={(v) => set({ gpus: v })}
        overridden={own.gpus !== undefined}
        onReset={reset('gpus')}
      />
      <TextField
        {...field('cpu')}
        label={t('inspector.cpu')}
        value={own.cpu ?? defaults.cpu ?? ''}
        placeholder={defaults.cpu ?? '1'}
        validate={quantity}
        onCommit={(v) => set({ cpu: v === '' ? undefined : v })}
        overridden={own.cpu !== undefined}
        onReset={reset('cpu')}
      />
      <TextField
        {...field('memory')}
        label={t('inspector.memory')}
        value={own.memory ?? defaults.memory ?? ''}
        placeholder={defaults.memory ?? '1Gi'}
        validate={quantity}
        hint={t('inspector.memoryHint')}
        onCommit={(v) => set({ memory: v === '' ? undefined : v })}
        overridden={own.memory !== undefined}
        onReset={reset('memory')}
      />
      <TextField
        {...field('gpuResource')}
        label={t('inspector.gpuResource')}
        value={own.gpuResource ?? defaults.gpuResource ?? ''}
        placeholder="nvidia.com/gpu"
        list="gpu-resources"
        onCommit={(v) => set({ gpuResource: v === '' ? undefined : v })}
        overridden={own.gpuResource !== undefined}
        onReset={reset('gpuResource')}
      />
      <TextField
        {...field('gpuProduct')}
        label={t('inspector.gpuProduct')}
        value={own.gpuProduct ?? defaults.gpuProduct ?? ''}
        placeholder={t('inspector.gpuProductAny')}
        list="gpu-products"
        hint={t('inspector.gpuProductHint')}
        onCommit={(v) => set({ gpuProduct: v === '' ? undefined : v })}
      />
      <datalist id="gpu-resources">
        {GPU_RESOURCES.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <datalist id="gpu-products">
        {GPU_PRODUCT_LABELS.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      <div onBlur={() => appStore.getState().markGesture()}>
        <TolerationsEditor
          id={fieldDomId(node.id, 'resources.tolerations')}
          tolerations={own.tolerations ?? defaults.tolerations ?? []}
          problems={problemsForField(problems, node.id, 'resources.tolerations')}
          onChange={(tolerations) => set({ tolerations: tolerations.length > 0 ? tolerations : undefined })}
        />
      </div>
    </section>
  );
}
