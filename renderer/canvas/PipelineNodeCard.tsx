/**
 * One pipeline step on the canvas. Small and memoized; reads problems and run state by id from the store.
 * Text comes from i18next's plain `t` (re-rendered through the store's `uiLang`): the hook version costs
 * too much a thousand times over. Zoomed out (semantic zoom), the card shows only its title, status and one
 * key figure in large type, in the same room as the detailed text (no re-measure), and ports as plain
 * elements React Flow measures and connects to, without a store subscription each.
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
import { FAR_TITLE, FAR_FIGURE, faceHeight, fitText, keyFigure, titleLines } from './farFace.ts';
import type { FaceInput } from './farFace.ts';
import type { PipelineFlowNode } from './flowElements.ts';

/** Below this zoom the detailed card's 11–12.5 px text is under 7.5 px on screen: show the far face instead. */
export const DETAIL_ZOOM = 0.6;

/** An empty card's height (title row and label), as the canvas measured it; the far face is sized from it. */
let emptyCardHeight = 59;

export function setEmptyCardHeight(height: number): void {
  emptyCardHeight = height;
}

/** Below this zoom even the far face's 24-26 px type is under 7 px on screen: draw it as blank bars (no text to lay out or paint). */
export const TEXT_ZOOM = 0.25;

/** Whether the canvas is zoomed out past DETAIL_ZOOM: one subscription in the canvas instead of one per card. */
export const FarZoomContext = createContext(false);

/** Whether it is zoomed out past TEXT_ZOOM too. */
export const TinyZoomContext = createContext(false);

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

/** The memory-fit mark the detailed card's GPU chip shows, kept on the far card's GPU figure. */
const FIT_MARK: Record<string, string> = { fits: ' ✓', tight: ' !', 'no-fit': ' ✕' };

function FarFace({ title, label, input, errors, warnings, params, verdict }: { title: string; label: string; input: FaceInput; errors: number; warnings: number; params: number; verdict: string }) {
  const height = faceHeight(emptyCardHeight, params);
  const tiny = useContext(TinyZoomContext);
  if (tiny) {
    // One element, its two bars drawn as backgrounds: a thousand cards in view are a thousand fewer boxes each.
    return <div className={`node-far tiny${errors > 0 ? ' error' : ''}${input.phase ? ` phase-${input.phase}` : ''}`} style={{ height }} />;
  }
  const figure = keyFigure(input);
  const gpuFigure = figure !== null && 'key' in figure && figure.key === 'ux.far.gpus';
  const figureText = figure === null ? '' : 'text' in figure ? figure.text : t(figure.key, figure.values) + (gpuFigure ? (FIT_MARK[verdict] ?? '') : '');
  const problems = errors + warnings;
  const status = errors > 0 ? 'error' : warnings > 0 ? 'warning' : input.phase || 'idle';
  const badge = problems > 0 ? String(errors > 0 ? errors : warnings) : '';
  // The badge takes room from the title's first line: cut the title a little shorter then.
  const titleWidth = badge ? 206 - (badge.length * 0.6 + 1.2) * FAR_FIGURE.font : 206;
  return (
    <div className="node-far" style={{ height }} title={label}>
      <div className="node-far-head">
        <span className="node-far-title node-title">{fitText(title, FAR_TITLE.font, titleLines(height), titleWidth)}</span>
        {badge && (
          <span className={`node-far-badge ${errors > 0 ? 'error' : 'warning'}`} aria-label={t(errors > 0 ? 'ux.far.errors' : 'ux.far.warnings', { count: Number(badge) })}>
            {badge}
          </span>
        )}
      </div>
      <div className={`node-far-figure status-${status}${gpuFigure && verdict ? ` fit-${verdict}` : ''}`}>
        {input.phase && <span className={`phase-dot phase-${input.phase}`} aria-label={t(`phase.${input.phase}`)} />}
        {fitText(input.phase && input.phase !== 'running' && !figure ? t(`phase.${input.phase}`) : figureText, FAR_FIGURE.font, 1, input.phase ? 206 - FAR_FIGURE.font : 206)}
      </div>
    </div>
  );
}

function PipelineNodeCardView({ id, data, selected }: NodeProps<PipelineFlowNode>) {
  // One subscription per card (a thousand cards subscribe): everything it shows from the store, as one string.
  const far = useContext(FarZoomContext);
  // Far out, the card also shows a running step's progress or last loss: only then is it subscribed to them.
  const [lang, errorText, warningText, phase, verdict, progressText, lossText] = useAppStore((s) => {
    const c = s.problemCounts[id];
    const run = s.runView[id];
    const live = far && run ? `|${run.progress ?? ''}|${run.loss?.[run.loss.length - 1] ?? ''}` : '||';
    return `${s.uiLang}|${c?.errors ?? 0}|${c?.warnings ?? 0}|${run?.phase ?? ''}|${s.estimateById[id]?.verdict ?? ''}${live}`;
  }).split('|') as [Lang, string, string, NodePhase | '', string, string, string];
  const diffMark = useNodeDiffMark(id);
  const errors = Number(errorText);
  const warnings = Number(warningText);
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
  const paramText = (name: string) => {
    const ps = resolved?.paramSpecs.find((p) => p.name === name);
    const own = node.params?.[name];
    // A bound param shows the run-time parameter it takes its value from.
    const text = isParamBinding(own) ? t('parameters.cardBinding', { name: own.$param }) : formatParamValue(resolved?.params[name], t('common.on'), t('common.off'));
    return { title: localize(ps?.title, lang, name), text, value: isParamBinding(own) ? undefined : resolved?.params[name] };
  };
  const classes = [
    'node-card',
    `cat-${spec.category}`,
    selected ? 'selected' : '',
    errors > 0 ? 'has-errors' : '',
    phase ? `phase-${phase}` : '',
    far ? 'far' : '',
    diffMark ? `diff-${diffMark}` : '',
  ];
  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={id} data-node-type={node.type}>
      {far ? (
        <FarFace
          title={localize(spec.title, lang)}
          label={node.label || node.id}
          errors={errors}
          warnings={warnings}
          params={cardParams.length}
          verdict={verdict}
          input={{ phase, progress: progressText ? Number(progressText) : undefined, lastLoss: lossText ? Number(lossText) : undefined, gpus, params: cardParams.slice(0, 1).map(paramText) }}
        />
      ) : (
        <>
          <div className="node-head">
            <span className="node-title">{localize(spec.title, lang)}</span>
            {problems > 0 && (
              <span className={`node-badge ${errors > 0 ? 'error' : 'warning'}`} title={t('node.problems', { count: problems })} aria-label={t('node.problems', { count: problems })}>
                {errors > 0 ? errors : warnings}
              </span>
            )}
          </div>
          <div className="node-label">{node.label || node.id}</div>
          {cardParams.length > 0 && (
            <dl className="node-params">
              {cardParams.map((name) => {
                const { title, text } = paramText(name);
                return (
                  <div key={name} className="node-param">
                    <dt>{title}</dt>
                    <dd title={text}>{text}</dd>
                  </div>
                );
              })}
            </dl>
          )}
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
        </>
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
