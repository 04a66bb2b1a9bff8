/** One pipeline step on the canvas. Small and memoized; reads problems and run state by id from the store. */
import { Handle, Position } from '@xyflow/react';
import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { catalog } from '../../node-catalog/index.ts';
import { nodePorts, resolveNode } from '../../shared/pipeline/resolve.ts';
import type { PortSpec } from '../../shared/pipeline/types.ts';
import { formatParamValue } from '../format.ts';
import { localize, useLang } from '../i18n/index.ts';
import { useAppStore } from '../store/index.ts';
import type { PipelineFlowNode } from './flowElements.ts';
import { Sparkline } from './Sparkline.tsx';

function PortRow({ input, output, lang }: { input?: PortSpec; output?: PortSpec; lang: 'en' | 'ko' }) {
  return (
    <div className="node-port-row">
      {input && (
        <>
          <Handle type="target" position={Position.Left} id={input.name} className={`port-handle kind-${input.kind}`} title={`${input.name} (${input.kind})`} />
          <span className={`port-label in${input.optional ? ' optional' : ''}`}>{localize(input.title, lang, input.name)}</span>
        </>
      )}
      {output && (
        <>
          <span className="port-label out">{localize(output.title, lang, output.name)}</span>
          <Handle type="source" position={Position.Right} id={output.name} className={`port-handle kind-${output.kind}`} title={`${output.name} (${output.kind})`} />
        </>
      )}
    </div>
  );
}

function RunStrip({ id }: { id: string }) {
  const { t } = useTranslation();
  const run = useAppStore((s) => s.runView[id]);
  if (!run) return null;
  return (
    <div className="node-run">
      <div className="node-run-head">
        <span className={`phase-dot phase-${run.phase}`} />
        <span>{t(`phase.${run.phase}`)}</span>
        {run.progress !== undefined && <span className="node-run-pct">{Math.round(run.progress * 100)}%</span>}
      </div>
      {run.progress !== undefined && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(run.progress * 100)}>
          <div className="progress-fill" style={{ width: `${Math.max(0, Math.min(1, run.progress)) * 100}%` }} />
        </div>
      )}
      {run.loss && run.loss.length > 1 && <Sparkline values={run.loss} label={t('node.lossSparkline')} />}
    </div>
  );
}

function PipelineNodeCardView({ id, data, selected }: NodeProps<PipelineFlowNode>) {
  const { t } = useTranslation();
  const lang = useLang();
  const errors = useAppStore((s) => s.problemCounts[id]?.errors ?? 0);
  const warnings = useAppStore((s) => s.problemCounts[id]?.warnings ?? 0);
  const phase = useAppStore((s) => s.runView[id]?.phase);
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
  const classes = ['node-card', `cat-${spec.category}`, selected ? 'selected' : '', errors > 0 ? 'has-errors' : '', phase ? `phase-${phase}` : ''];
  return (
    <div className={classes.filter(Boolean).join(' ')} data-node-id={id} data-node-type={node.type}>
      <div className="node-head">
        <span className="node-title">{localize(spec.title, lang)}</span>
        {(errors > 0 || warnings > 0) && (
          <span className={`node-badge ${errors > 0 ? 'error' : 'warning'}`} title={t('node.problems', { count: errors + warnings })} aria-label={t('node.problems', { count: errors + warnings })}>
            {errors > 0 ? errors : warnings}
          </span>
        )}
      </div>
      <div className="node-label">{node.label || node.id}</div>
      {cardParams.length > 0 && (
        <dl className="node-params">
          {cardParams.map((name) => {
            const ps = resolved?.paramSpecs.find((p) => p.name === name);
            return (
              <div key={name} className="node-param">
                <dt>{localize(ps?.title, lang, name)}</dt>
                <dd title={formatParamValue(resolved?.params[name], t('common.on'), t('common.off'))}>
                  {formatParamValue(resolved?.params[name], t('common.on'), t('common.off'))}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
      <div className="node-resources">
        {gpus > 0 ? <span className="chip gpu">{t('node.gpus', { count: gpus })}</span> : <span className="chip muted">{t('node.noGpu')}</span>}
        {resolved?.resources.cpu && <span className="chip">{t('node.cpu', { cpu: resolved.resources.cpu })}</span>}
        {resolved?.resources.memory && <span className="chip">{resolved.resources.memory}</span>}
      </div>
      {rows > 0 && (
        <div className="node-ports">
          {Array.from({ length: rows }, (_, i) => (
            <PortRow key={i} input={inputs[i]} output={outputs[i]} lang={lang} />
          ))}
        </div>
      )}
      <RunStrip id={id} />
    </div>
  );
}

export const PipelineNodeCard = memo(PipelineNodeCardView);
