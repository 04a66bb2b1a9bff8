/**
 * Multi-user Kubeflow, against the emulator's multi-user KFP: the service proxy is told what to do
 * instead; the Kubeflow URL with a login session (cookie or ID token, read from an environment
 * variable, never written) and a ServiceAccount token (TokenRequest, audience pipelines.kubeflow.org,
 * sent to the KFP endpoint, renewed) run in the profile namespace; reattach and cancel use the
 * namespace of the start even when the request named none (retry too: the same KFP run); another profile is refused with advice.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { PipelineDocument } from '../../shared/pipeline/types.ts';
import { emulatorIt, emulatorOf, openClusterEnv } from './cluster-env.ts';
import type { ClusterEnv } from './cluster-env.ts';
import { createClusterHarness, eventually, miniDocument } from './harness.ts';
import type { ClusterHarness } from './harness.ts';

const WHY = 'it needs the emulator\'s multi-user KFP (profiles and login sessions it can set)';
const ALICE = 'alice@example.com';
const COOKIE_ENV = 'PIPEWRIGHT_TEST_KF_SESSION';
const BOB_COOKIE_ENV = 'PIPEWRIGHT_TEST_KF_SESSION_BOB';
const TOKEN_ENV = 'PIPEWRIGHT_TEST_KF_ID_TOKEN';
const ALICE_COOKIE = 'MTcwMDAwMDAwMHxhbGljZS1zZXNzaW9u';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** The document with its namespace setting (what a run falls back to when the request names none). */
function inTeamA(): PipelineDocument {
  const doc = miniDocument();
  return { ...doc, settings: { ...doc.settings, namespace: 'team-a' } };
}

describe('kfp target on a multi-user Kubeflow', () => {
  let env: ClusterEnv;
  let h: ClusterHarness;
  beforeAll(async () => {
    env = await openClusterEnv({
      timeScale: 0.005,
      namespaces: [],
      kfpMultiUser: {
        profiles: { 'team-a': [ALICE, 'system:serviceaccount:team-a:default-editor'], 'team-b': ['bob@example.com'] },
        sessions: { [ALICE_COOKIE]: ALICE, 'alice-id-token': ALICE, 'bob-cookie': 'bob@example.com' },
      },
    });
    h = createClusterHarness(env, inTeamA, { env: { [COOKIE_ENV]: ALICE_COOKIE, [BOB_COOKIE_ENV]: 'bob-cookie', [TOKEN_ENV]: 'alice-id-token' } });
  });
  afterAll(async () => {
    await h?.close();
    await env?.close();
  });

  emulatorIt('through the service proxy it stops at once and says which connection to use instead', WHY, async () => {
    const started = await h.start('kfp', { namespace: 'team-a' });
    const done = await h.finish(started.id);
    expect(done.phase).toBe('error');
    expect(done.message).toContain('there is no user identity header');
    expect(done.message).toContain('no user identity reaches Kubeflow Pipelines');
    expect(done.message).not.toMatch(/kubeconfig/i);
  });

  emulatorIt('the Kubeflow URL with the session cookie: the run goes to the profile namespace, the cookie is never written', WHY, async () => {
    const emu = emulatorOf(env);
    const started = await h.start('kfp', { namespace: 'team-a', kfpUrl: emu.kfpIngressUrl, kfpAuth: 'session', kfpCookieEnv: COOKIE_ENV, experiment: 'ko-tuning' });
    const done = await h.finish(started.id);
    expect(done.phase, done.message).toBe('succeeded');
    expect(done.external).toMatchObject({ kfpNamespace: 'team-a', kfpUrl: emu.kfpIngressUrl, workflowNamespace: 'team-a' });
    expect(emu.controller.list('workflows', 'team-a').length).toBeGreaterThan(0);
    const seen = await fetch(`${emu.kfpIngressUrl}/apis/v2beta1/experiments?namespace=team-a`, { headers: { Authorization: 'Bearer alice-id-token' } });
    expect(((await seen.json()) as { experiments: { display_name: string; namespace: string }[] }).experiments).toEqual([expect.objectContaining({ display_name: 'ko-tuning', namespace: 'team-a' })]);
    for (const file of await filesUnder(h.runsDir)) expect(await fs.readFile(file, 'utf8'), file).not.toContain(ALICE_COOKIE);
  });

  emulatorIt('another user\'s session in team-a is refused with what to do (ask the profile owner)', WHY, async () => {
    const started = await h.start('kfp', { namespace: 'team-a', kfpUrl: emulatorOf(env).kfpIngressUrl, kfpAuth: 'session', kfpCookieEnv: BOB_COOKIE_ENV });
    const done = await h.finish(started.id);
    expect(done.phase).toBe('error');
    expect(done.message).toMatch(/\(403\)/);
    expect(done.message).toContain('add you as a contributor');
  });

  emulatorIt('a wrong ID token is a 401 that says to sign in again and name the variable', WHY, async () => {
    const started = await h.start('kfp', { namespace: 'team-a', kfpUrl: emulatorOf(env).kfpIngressUrl, kfpAuth: 'session', kfpToken: 'stale-token' });
    const done = await h.finish(started.id);
    expect(done.phase).toBe('error');
    expect(done.message).toContain('(401)');
    expect(done.message).toContain('Sign in to the Kubeflow dashboard again');
  });

  emulatorIt('a service account token (TokenRequest) sent to the KFP endpoint: renewed when refused, reattach without a namespace in the request finds the run, cancel ends it cancelled', WHY, async () => {
    const emu = emulatorOf(env);
    emu.controller.setStepBehavior({ step: 'cpt' }, { lineIntervalMs: 3000 });
    // No namespace in the request: the pipeline's settings say team-a.
    const started = await h.start('kfp', { namespace: undefined, kfpUrl: emu.kfpDirectUrl, kfpAuth: 'service-account' });
    await eventually(() => h.nodePhases(started.id).cpt?.includes('running'), 20_000, 'cpt to run');
    const tokenRequests = () => emu.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/team-a/serviceaccounts/default-editor/token').length;
    expect(tokenRequests()).toBe(1);
    // KFP stops taking the token (expired early, a rotated key): the next poll is refused, a new token is asked for.
    emu.kfpMultiUser!.expireTokens();
    await eventually(() => tokenRequests() === 2, 10_000, 'a new token after the 401');
    await h.manager.close();
    const manager = h.restart();
    expect(await manager.reattachRuns()).toEqual([started.id]);
    await manager.cancelRun(started.id);
    const done = await h.finish(started.id);
    emu.controller.clearStepBehaviors();
    expect(done.phase, done.message).toBe('cancelled');
    expect(done.external?.kfpNamespace).toBe('team-a');
    expect(done.external?.workflowNamespace).toBe('team-a');
  }, 60_000);
  emulatorIt('retry without a namespace in the request retries the same run in the namespace it started in', WHY, async () => {
    const emu = emulatorOf(env);
    emu.controller.setStepBehavior({ step: 'cpt' }, { outcome: 'fail' });
    const started = await h.start('kfp', { namespace: undefined, kfpUrl: emu.kfpDirectUrl, kfpAuth: 'service-account' });
    const failed = await h.finish(started.id);
    expect(failed.phase, failed.message).toBe('failed');
    const kfpRunId = failed.external?.kfpRunId;
    emu.controller.clearStepBehaviors();
    await h.manager.retryRun(started.id);
    const done = await h.finish(started.id);
    expect(done.phase, done.message).toBe('succeeded');
    expect(done.external).toMatchObject({ kfpRunId, kfpNamespace: 'team-a', workflowNamespace: 'team-a' });
  }, 60_000);
});
