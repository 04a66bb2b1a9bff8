/**
 * Pipeline document -> monitoring files: `dashboard.json` (Grafana), `alert-rules.yaml` (Prometheus rule
 * groups, for `rule_files`) and `prometheusrule.yaml` (the same groups as a prometheus-operator
 * PrometheusRule). Pure and deterministic, like the target compilers.
 */
import type { NodeCatalog } from '../../pipeline/catalog.ts';
import type { PipelineDocument } from '../../pipeline/types.ts';
import { emitYaml } from '../emitYaml.ts';
import { CompileError, planPipeline } from '../plan.ts';
import type { CompiledFiles } from '../types.ts';
import { grafanaDashboard } from './dashboard.ts';
import { alertRuleGroups, ruleGroupsYaml } from './rules.ts';

export const MONITORING_FILES = ['dashboard.json', 'alert-rules.yaml', 'prometheusrule.yaml'] as const;

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function compileMonitoring(doc: PipelineDocument, catalog: NodeCatalog): CompiledFiles {
  planPipeline(doc, catalog);
  if (!NAME.test(doc.name) || doc.name.length > 63) {
    throw new CompileError(`pipeline name ${JSON.stringify(doc.name)} must be lowercase letters, digits and '-', at most 63 characters`, { field: 'name' });
  }
  const namespace = doc.settings?.namespace && NAME.test(doc.settings.namespace) ? doc.settings.namespace : undefined;
  const groups = ruleGroupsYaml(alertRuleGroups(doc.name, namespace, doc.settings?.alerts));
  const rule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: `pipewright-${doc.name}`.slice(0, 253),
      namespace,
      labels: { 'app.kubernetes.io/part-of': 'pipewright', 'pipewright.dev/pipeline': doc.name, role: 'alert-rules' },
    },
    spec: { groups },
  };
  return {
    'alert-rules.yaml': `# Prometheus alerting rules for the Pipewright pipeline ${doc.name}: list this file under rule_files.\n${emitYaml({ groups })}`,
    'dashboard.json': `${JSON.stringify(grafanaDashboard(doc.name, namespace), null, 2)}\n`,
    'prometheusrule.yaml': `# The same rules for the prometheus-operator: kubectl apply -f prometheusrule.yaml (its Prometheus must select role=alert-rules).\n${emitYaml(rule)}`,
  };
}
