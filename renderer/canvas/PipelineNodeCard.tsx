/**
 * One pipeline step on the canvas. Small and memoized; reads problems and run state by id from the store.
 * Text comes from i18next's plain `t` (re-rendered through the store's `uiLang`): the hook version costs
 * too much a thousand times over. Zoomed far out, details are drawn as same-sized blanks (no re-measure)
 * and ports as plain elements React Flow measures and connects to, without a store subscription each.
 */
import { isParamBinding } from '../../shared/pipeline/types.ts';
import { Handle, Position, useStoreApi } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import i18next from 'i18next';
import { createContext, memo, useContext } from 'react';
import { catalog } from '../../node-catalog/index.ts';
import { nodePorts, resolveNode } from '../../shared/pipeline/resolve.ts';
import type { PortSpec } from '../../shared/pipeline/types.ts';
import type { NodePhase } from '../../shared/runs/types.ts';
import { formatParamValue } from '../format.ts';
import type { Lang } from '../i18n/index.ts';
import { localize } from '../i18n/index.ts';
import { EstimateBadge } from '../estimate/EstimateBadge.tsx';
import { NodeRunStrip } from '../runs/NodeRunStrip.tsx';
import { useAppStore } from '../store/index.ts';
import { useNodeDiffMark } from '../runs/diff/canvasDiff.ts';
import type { PipelineFlowNode } from './flowElements.ts';

/** Below this zoom, card text is unreadable anyway: draw blanks of the same size. */
export const DETAIL_ZOOM = 0.3;

/** Whether the canvas is zoomed out past DETAIL_ZOOM: one subscription in the canvas instead of one per card. */
export const FarZoomContext = createContext(false);

const t = (key: string, values?: Record<string, unknown>) => i18next.t(key, values);

/** A port as React Flow's Handle draws it (same classes and data, so it is measured and found as a connection end). */
function StaticHandle({ nodeId, port, type, flowId }: { nodeId: string; port: PortSpec; type: 'source' | 'target'; flowId: string }) {
  const side = type === 'target' ? Position.Left : Position.Right;
  return (
    <div
      data-handleid={port.name}
      data-nodeid={nodeId}
      data-handlepos={side}
      data-id={`${flowId}-${nodeId}-${port.name}-${type}`}
      className={`react-flow__handle react-flow__handle-${side} nodrag nopan port-handle kind-${port.kind} ${type} connectable connectableend`}
    />
  );
}

function PortRow({ nodeId, input, output, lang, far, flowId }: { nodeId: string; input?: PortSpec; output?: PortSpec; lang: Lang; far: boolean; flowId: string }) {
  if (far) {
    return (
      <div className="node-port-row">
        {input && <StaticHandle nodeId={nodeId} port={input} type="target" flowId={flowId} />}
        {output && <StaticHandle nodeId={nodeId} port={output} type="source" flowId={flowId} />}
      </div>
    );
  }
  return (
    <div className="node-port-row">
      {input && <Handle type="target" position={Position.Left} id={input.name} className={`port-handle kind-${input.kind}`} title={`${input.name} (${input.kind})`} />}
      {input && <span className={`port-label in${input.optional ? ' optional' : ''}`}>{localize(input.title, lang, input.name)}</span>}
      {output && <span className="port-label out">{localize(output.title, lang, output.name)}</span>}
      {output && <Handle type="source" position={Position.Right} id={output.name} className={`port-handle kind-${output.kind}`} title={`${output.name} (${output.kind})`} />}
    </div>
  );
}

function PipelineNodeCardView({ id, data, selected }: NodeProps<PipelineFlowNode>) {
  // One subscription per card (a thousand cards subscribe): everything it shows from the store, as one string.
  const [lang, errorText, warningText, phase, verdict] = useAppStore((s) => {
    const c = s.problemCounts[id];
    return `${s.uiLang}|${c?.errors ?? 0}|${c?.warnings ?? 0}|${s.runView[id]?.phase ?? ''}|${s.estimateById[id]?.verdict ?? ''}`;
  }).split('|') as [Lang, string, string, NodePhase | '', string];
  const diffMark = useNodeDiffMark(id);
  const errors = Number(errorText);
  const warnings = Number(warningText);
  const far = useContext(FarZoomContext);
  // Read once, not subscribed: the flow's id never changes while the canvas is mounted.
  const flowId = useStoreApi().getState().rfId;
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
  const classes = ['node-card', `cat-${spec.category}`, selected ? 'selected' : '', errors > 0 ? 'has-errors' : '', phase ? `phase-${phase}` : '', far ? 'far' : '', diffMark ? `diff-${diffMark}` : ''];
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
              const own = node.params?.[name];
              // A bound param shows the run-time parameter it takes its value from.
              const value = isParamBinding(own) ? t('parameters.cardBinding', { name: own.$param }) : formatParamValue(resolved?.params[name], t('common.on'), t('common.off'));
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
          {gpus > 0 && verdict ? (
            <EstimateBadge id={id} lang={lang} gpus={t('node.gpus', { count: gpus })} />
          ) : gpus > 0 ? (
            <span className="chip gpu">{t('node.gpus', { count: gpus })}</span>
          ) : (
            <span className="chip muted">{t('node.noGpu')}</span>
          )}
          {resolved?.resources.cpu && <span className="chip">{t('node.cpu', { cpu: resolved.resources.cpu })}</span>}
          {resolved?.resources.memory && <span className="chip">{resolved.resources.memory}</span>}
        </div>
      )}
      {rows > 0 && (
        <div className="node-ports">
          {Array.from({ length: rows }, (_, i) => (
            <PortRow key={i} nodeId={id} input={inputs[i]} output={outputs[i]} lang={lang} far={far} flowId={flowId} />
          ))}
        </div>
      )}
      {phase && <NodeRunStrip id={id} />}
    </div>
  );
}

export const PipelineNodeCard = memo(PipelineNodeCardView);
