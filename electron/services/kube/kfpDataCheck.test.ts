import { describe, expect, it } from 'vitest';
import { dataCheckWords } from './kfpDataCheck.ts';

describe("a KFP data check's words, from its pod's log", () => {
  it('the decision the step reports, the last one winning', () => {
    const log = [
      'I1205 19:00:00.000000 launcher_v2.go:100] executor input: {}',
      'data-check: corpus s3://datasets/corpus.jsonl: 0a7e',
      'PIPEWRIGHT_INFO {"data_changed": false, "data_check": "skipped: data unchanged since the last successful run r-1 at 2026-12-05T19:00:00Z"}',
      'PIPEWRIGHT_INFO {"output_sha256_dataset": "21ed"}',
      'PIPEWRIGHT_INFO {not json',
    ].join('\n');
    expect(dataCheckWords(log)).toEqual({ decision: 'skipped: data unchanged since the last successful run r-1 at 2026-12-05T19:00:00Z' });
  });
  it('an error over several lines, up to the launcher\'s own lines', () => {
    const log = [
      'error: cannot read ConfigMap kubeflow/cm: 403 Forbidden: User "system:serviceaccount:kubeflow:pipeline-runner" cannot get resource "configmaps"',
      "The workflow's service account may not get ConfigMaps in kubeflow: apply ... DIR/data-check-rbac.yaml",
      'F1205 19:00:01.000000 launcher_v2.go:200] failed to execute component: exit status 1',
      'F launcher_v2.go] emulated',
    ].join('\n');
    expect(dataCheckWords(log).error).toBe(
      'cannot read ConfigMap kubeflow/cm: 403 Forbidden: User "system:serviceaccount:kubeflow:pipeline-runner" cannot get resource "configmaps" The workflow\'s service account may not get ConfigMaps in kubeflow: apply ... DIR/data-check-rbac.yaml',
    );
    expect(dataCheckWords('nothing to see\n')).toEqual({});
  });
});
