/**
 * One pipeline step on the canvas. Small and memoized; reads problems and run state by id from the store.
 * Text comes from i18next's plain `t` (re-rendered through the store's `uiLang`): the hook version costs
 * too much a thousand times over. Zoomed far out, details are drawn as same-sized blanks (no re-measure).
 */
import { Handle, Position, useStore as useFlowStore } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import i18next from 'i18next';
import { memo } from 'react';
import { catalog } from '../../node-catalog/index.ts';
import { nodePorts, resolveNode } from '../../shared/pipeline/resolve.ts';
import type { PortSpec } from '../../shared/pipeline/types.ts';
import type { NodePhase } from '../../shared/runs/types.ts';
import { formatParamValue } from '../format.ts';
import type { Lang } from '../i18n/index.ts';
import { localize } from '../i18n/index.ts';
import { NodeRunStrip } from '../runs/NodeRunStrip.tsx';
import { useAppStore } from '../store/index.ts';
import type { PipelineFlowNode } from './flowElements.ts';

/** Below this zoom, card text is unreadable anyway: draw blanks of the same size. */
export const DETAIL_ZOOM = 0.3;

const t = (key: string, values?: Record<string, unknown>) => i18next.t(key, values);

function PortRow({ input, output, lang, far }: { input?: PortSpec; output?: PortSpec; lang: Lang; far: boolean }) {
  return (
    <div className="node-port-row">
      {input && <Handle type="target" position={Position.Left} id={input.name} className={`port-handle kind-${input.kind}`} title={`${input.name} (${input.kind})`} />}
      {input && !far && <span className={`port-label in${input.optional ? ' optional' : ''}`}>{localize(input.title, lang, input.name)}</span>}
      {output && !far && <span className="port-label out">{localize(output.title, lang, output.name)}</span>}
      {output && <Handle type="source" position={Position.Right} id={output.name} className={`port-handle kind-${output.kind}`} title={`${output.name} (${output.kind})`} />}
    </div>
  );
}

function PipelineNodeCardView({ id, data, selected }: NodeProps<PipelineFlowNode>) {
  // One subscription per card (a thousand cards subscribe): everything it shows from the store, as one string.
  const [lang, errorText, warningText, phase] = useAppStore((s) => {
    const c = s.problemCounts[id];
    return `${s.uiLang}|${c?.errors ?? 0}|${c?.warnings ?? 0}|${s.runView[id]?.phase ?? ''}`;
  }).split('|') as [Lang, string, string, NodePhase | ''];
  const errors = Number(errorText);
  const warnings = Number(warningText);
  const far = useFlowStore((s) => s.transform[2] < DETAIL_ZOOM);
  const node = data.node;
  const spec = catalog.get(node.type);
  if (!spec) {
    return (
      <div className="node-card unknown" data-node-id={id}>
        <div className="node-title">{t('node.unknownType', { type: node.type })}</div>
      </div>
    );
  }
  const resolved = resolveNode(node, catalog);
  const { inputs, outputs } = nodePorts(node, spec);
  const rows = Math.max(inputs.length, outputs.length);
  const cardParams = spec.type === 'python' ? (node.interface?.parameters ?? []).slice(0, 3).map((p) => p.name) : spec.cardParams;
  const gpus = resolved?.resources.gpus ?? 0;
  const problems = errors + warnings;
  const classes = ['node-card', `cat-${spec.category}`, selected ? 'selected' : '', errors > 0 ? 'has-errors' : '', phase ? `phase-${phase}` : '', far ? 'far' : ''];
  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={id} data-node-type={node.type}>
      <div className="node-head">
        <span className="node-title">{localize(spec.title, lang)}</span>
        {problems > 0 && (
          <span className={`node-badge ${errors > 0 ? 'error' : 'warning'}`} title={t('node.problems', { count: problems })} aria-label={t('node.problems', { count: problems })}>
            {errors > 0 ? errors : warnings}
          </span>
        )}
      </div>
      <div className="node-label">{node.label || node.id}</div>
      {cardParams.length > 0 &&
        (far ? (
          <div className="node-params blank" style={{ height: cardParams.length * 17 }} />
        ) : (
          <dl className="node-params">
            {cardParams.map((name) => {
              const ps = resolved?.paramSpecs.find((p) => p.name === name);
              const value = formatParamValue(resolved?.params[name], t('common.on'), t('common.off'));
              return (
                <div key={name} className="node-param">
                  <dt>{localize(ps?.title, lang, name)}</dt>
                  <dd title={value}>{value}</dd>
                </div>
              );
            })}
          </dl>
        ))}
      {far ? (
        <div className="node-resources blank" />
      ) : (
        <div className="node-resources">
          {gpus > 0 ? <span className="chip gpu">{t('node.gpus', { count: gpus })}</span> : <span className="chip muted">{t('node.noGpu')}</span>}
          {resolved?.resources.cpu && <span className="chip">{t('node.cpu', { cpu: resolved.resources.cpu })}</span>}
          {resolved?.resources.memory && <span className="chip">{resolved.resources.memory}</span>}
        </div>
      )}
      {rows > 0 && (
        <div className="node-ports">
          {Array.from({ length: rows }, (_, i) => (
            <PortRow key={i} input={inputs[i]} output={outputs[i]} lang={lang} far={far} />
          ))}
        </div>
      )}
      <NodeRunStrip id={id} />
    </div>
  );
}

export const PipelineNodeCard = memo(PipelineNodeCardView);
