/** PIPEWRIGHT_DEPLOY lines and MLflow info keys reach the node's run state (and its history) as node-info. */
import { describe, expect, it } from 'vitest';
import { parseLogLine } from './parse.ts';
import { LogStreamParser } from './parseStream.ts';
import { applyRunEvent, diffRunState } from './state.ts';
import type { RunSummary } from './types.ts';

const summary = (): RunSummary => ({ id: 'r', pipelineName: 'p', target: 'argo', phase: 'running', createdAt: '2026-12-05T00:00:00Z', nodes: { deploy: { phase: 'running' } } });

describe('deploy status lines', () => {
  it('parses the step\'s line into a DeployStatus (snake_case analysis_value, unknown and non-finite fields dropped)', () => {
    const line = 'PIPEWRIGHT_DEPLOY {"kind": "Rollout", "name": "pipewright-deploy", "phase": "Paused", "step": 1, "steps": 6, "weight": 25, "paused": "CanaryPauseStep", "analysis": "Running", "analysis_value": "[0.99]", "replicas": 4, "ready": "x", "extra": 1}';
    expect(parseLogLine(line).deploy).toEqual({ kind: 'Rollout', name: 'pipewright-deploy', phase: 'Paused', step: 1, steps: 6, weight: 25, paused: 'CanaryPauseStep', analysis: 'Running', analysisValue: '[0.99]', replicas: 4 });
    expect(parseLogLine('PIPEWRIGHT_DEPLOY {"kind": "Pod", "phase": "Running"}').deploy).toBeUndefined();
    expect(parseLogLine('PIPEWRIGHT_DEPLOY not json').deploy).toBeUndefined();
  });

  it('a stream of lines becomes node-info events; the run state keeps the last status and merges MLflow links', () => {
    const parser = new LogStreamParser({ runId: 'r', nodeId: 'deploy' });
    const events = parser.push([
      'PIPEWRIGHT_INFO {"mlflow_run_id": "abc", "mlflow_run_url": "http://mlflow:5000/#/experiments/1/runs/abc"}',
      'PIPEWRIGHT_DEPLOY {"kind": "Rollout", "phase": "Progressing", "step": 0, "steps": 6, "weight": 25}',
      'PIPEWRIGHT_DEPLOY {"kind": "Rollout", "phase": "Paused", "step": 1, "steps": 6, "weight": 25, "paused": "CanaryPauseStep"}',
      '',
    ].join('\n'));
    const info = events.filter((e) => e.kind === 'node-info');
    expect(info).toHaveLength(1);
    let run = summary();
    for (const e of events) run = applyRunEvent(run, e);
    expect(run.nodes.deploy.deploy).toEqual({ kind: 'Rollout', phase: 'Paused', step: 1, steps: 6, weight: 25, paused: 'CanaryPauseStep' });
    const more = parser.push('PIPEWRIGHT_INFO {"mlflow_model_name": "m", "mlflow_model_version": 3, "mlflow_model_url": "http://mlflow:5000/#/models/m/versions/3"}\n');
    for (const e of more) run = applyRunEvent(run, e);
    expect(run.nodes.deploy.mlflow).toEqual({ runId: 'abc', runUrl: 'http://mlflow:5000/#/experiments/1/runs/abc', modelName: 'm', modelVersion: '3', modelUrl: 'http://mlflow:5000/#/models/m/versions/3' });
    // A watcher that diffs states (reattach, history) sends the same information on.
    const diff = diffRunState(summary(), run, '2026-12-05T00:01:00Z');
    expect(diff).toContainEqual(expect.objectContaining({ kind: 'node-info', nodeId: 'deploy', deploy: run.nodes.deploy.deploy, mlflow: run.nodes.deploy.mlflow }));
  });
});
