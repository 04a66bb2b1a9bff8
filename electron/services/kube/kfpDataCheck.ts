/**
 * The data check of a KFP "when the data changes" run, in its own words. On KFP the check's output parameters
 * stay in ML Metadata, out of the Workflow, so with Kubernetes access its pod's log is read: the decision the
 * step reports (`PIPEWRIGHT_INFO {"data_changed": ..., "data_check": "..."}`) or its `error: ...` line (an
 * account without the Role, with the fix). Nothing when the pod or its log is gone (pods garbage-collected).
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { KFP_DATA_CHECK_TASK } from '../../../shared/schedules/dataCheck/kfp.ts';
import { kubeJson, kubeRequest } from './request.ts';
import { NODE_NAME_ANNOTATION } from './workflowMonitor.ts';
import type { Pod } from './workflowMonitor.ts';

export interface DataCheckWords {
  /** `runs: ...` or `skipped: data unchanged since ...`. */
  decision?: string;
  /** The step's `error:` line. */
  error?: string;
}

/** What the data check's log says (the last decision and the last error line). */
export function dataCheckWords(log: string): DataCheckWords {
  const out: DataCheckWords = {};
  const lines = log.split('\n');
  for (const [i, line] of lines.entries()) {
    const info = /^PIPEWRIGHT_INFO (\{.*\})\s*$/.exec(line);
    if (info) {
      try {
        const value = (JSON.parse(info[1]) as { data_check?: unknown }).data_check;
        if (typeof value === 'string' && value) out.decision = value;
      } catch {
        // Not the step's line.
      }
      continue;
    }
    const error = /^error: (.+)$/.exec(line);
    if (error) {
      // The message goes on over the next lines (the Role to apply), up to a blank line or the launcher's own (glog) lines.
      const more = [];
      for (const next of lines.slice(i + 1)) {
        if (!next.trim() || /^[IWEF](\d{4} | ?\w+\.go\])/.test(next) || next.startsWith('PIPEWRIGHT_')) break;
        more.push(next.trim());
      }
      out.error = [error[1].trim(), ...more].join(' ').slice(0, 2000);
    }
  }
  return out;
}

const LOG_BYTES = 256 * 1024;

/** Reads the data-check executor pod's log (its last attempt) of the run's Workflow. */
export async function readKfpDataCheck(kc: KubeConfig, namespace: string, workflowName: string): Promise<DataCheckWords | undefined> {
  try {
    const ns = encodeURIComponent(namespace);
    const pods = await kubeJson<{ items?: Pod[] }>(kc, { path: `/api/v1/namespaces/${ns}/pods`, query: { labelSelector: `workflows.argoproj.io/workflow=${workflowName}` } }, `list the pods of Workflow ${workflowName}`);
    const pattern = new RegExp(`\\.${KFP_DATA_CHECK_TASK}\\.executor(\\(\\d+\\))?$`);
    const pod = (pods.items ?? [])
      .filter((p) => pattern.test(p.metadata?.annotations?.[NODE_NAME_ANNOTATION] ?? ''))
      .sort((a, b) => (a.metadata?.annotations?.[NODE_NAME_ANNOTATION] ?? '').localeCompare(b.metadata?.annotations?.[NODE_NAME_ANNOTATION] ?? ''))
      .at(-1);
    const name = pod?.metadata?.name;
    if (!name) return undefined;
    const res = await kubeRequest(kc, { path: `/api/v1/namespaces/${ns}/pods/${encodeURIComponent(name)}/log`, query: { container: 'main', tailLines: 2000, limitBytes: LOG_BYTES } });
    if (res.status !== 200) return undefined;
    const words = dataCheckWords(res.text);
    return words.decision || words.error ? words : undefined;
  } catch {
    return undefined;
  }
}
