/**
 * Cluster pre-flight in the run dialog, in Korean at 1440×900, against the Kubernetes API emulator: the
 * Korean LLM template on Argo finds its CPT too big for the only H100 node and its hf-token Secret
 * missing; Run stays off until "Run anyway" is ticked; once the cluster has a big enough node and the
 * Secret, "Check again" comes back clean and Run is on without the override.
 */
import template from '../../node-catalog/templates/korean-llm.pipewright.json' with { type: 'json' };
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { gpuNode, H100 } from '../fixtures/preflightCluster.ts';
import type { KubeObject } from '../kube-emulator/index.ts';
import { parseAllDocuments } from 'yaml';
import { expect, openApp, test } from './fixtures.ts';
import { BROWSER_ONLY, rpcOn, useClusterServer } from './helpers/clusterServer.ts';

test.use({ viewport: { width: 1440, height: 900 } });

const taint = [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }];
const cluster = useClusterServer({
  prefix: 'preflight',
  prepare(emulator) {
    emulator.apply('nodes', gpuNode('gpu-h100-small', H100, 2, { taints: taint }));
    emulator.apply('nodes', gpuNode('gpu-a100', 'NVIDIA-A100-SXM4-80GB', 8, { taints: taint }));
  },
});

test('pre-flight findings before Run block it until overridden or fixed, in Korean', async ({ page, request }, testInfo) => {
  test.skip(testInfo.project.name === 'electron' || !cluster(), BROWSER_ONLY);
  const { emulator, url } = cluster()!;
  await rpcOn(cluster()!, request, 'updateSettings', [{ language: 'ko' }]);
  await openApp(page, url);
  const doc = structuredClone(template) as unknown as PipelineDocument;
  await page.evaluate((d) => window.pipewright_debug!.loadDocument(d), doc);

  await page.locator('[data-action="run.start"]').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('radio', { name: /Argo Workflows/ }).check();
  await expect(dialog.getByLabel('kubeconfig 컨텍스트')).toHaveValue('pipewright-emulator');
  const preflight = dialog.getByTestId('preflight');
  await expect(preflight).toContainText('클러스터 사전 점검');
  const findings = preflight.locator('.preflight-finding');
  await expect(findings).toHaveCount(3);
  const cpt = preflight.locator('.preflight-finding[data-code="gpu-insufficient"]');
  await expect(cpt).toContainText('충분히 큰 노드 없음');
  await expect(cpt).toContainText('노드 cpt');
  await expect(cpt).toContainText('Step cpt needs 4 nvidia.com/gpu');
  await expect(cpt).toContainText('gpu-h100-small, has 2 nvidia.com/gpu');
  await expect(cpt).toContainText("Lower step cpt's GPUs to 2 or fewer");
  await expect(preflight.locator('.preflight-finding[data-code="secret-missing"]')).toContainText('kubectl create secret generic hf-token -n kubeflow');
  // The workflow runs as kubeflow/default, which may not apply the deploy step's objects in inference.
  const sa = preflight.locator('.preflight-finding[data-code="service-account-forbidden"]');
  await expect(sa).toContainText('워크플로 서비스 계정에 배포 권한 없음');
  await expect(sa).toContainText('노드 deploy');
  await expect(sa).toContainText("The workflow's service account kubeflow/default");
  await expect(sa).toContainText('create/patch/get Deployment (deployments.apps)');
  await expect(sa).toContainText('in namespace inference');
  await expect(sa.locator('.preflight-fix')).toContainText('kind: RoleBinding');
  await expect(preflight).toContainText('네임스페이스 kubeflow: 실행을 막는 문제 3개, 경고 0개');
  const run = dialog.getByTestId('run-start');
  await expect(run).toBeDisabled();
  await preflight.scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screenshots/preflight-run-dialog-ko.png' });

  await dialog.getByTestId('preflight-override').check();
  await expect(run).toBeEnabled();
  await dialog.getByTestId('preflight-override').uncheck();
  await expect(run).toBeDisabled();

  // The cluster gets what the run needs; checking again clears the findings and Run needs no override.
  emulator.apply('nodes', gpuNode('gpu-h100-big', H100, 8, { taints: [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }] }));
  emulator.apply('secrets', { metadata: { name: 'hf-token', namespace: 'kubeflow' }, type: 'Opaque', data: { token: 'eA==' } });
  // The Role and RoleBinding the finding gave, applied as they read (YAML after the first line of the fix).
  const fix = (await sa.locator('.preflight-fix').innerText()).replace(/^[^\n]*\n/, '');
  for (const doc of parseAllDocuments(fix).map((d) => d.toJS() as KubeObject)) emulator.apply(doc.kind === 'Role' ? 'roles' : 'rolebindings', doc);
  await dialog.getByTestId('preflight-recheck').click();
  await expect(preflight).toContainText('지금 이 클러스터에서 파이프라인을 실행할 수 있습니다 (네임스페이스 kubeflow)');
  await expect(findings).toHaveCount(0);
  await expect(run).toBeEnabled();

  // Back to this machine: no pre-flight, nothing blocks.
  await dialog.getByRole('radio', { name: /이 컴퓨터|This machine/ }).check();
  await expect(preflight).toBeHidden();
  await expect(run).toBeEnabled();
});
