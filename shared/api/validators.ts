/** Argument schemas for every method: the back end validates each call at the boundary. */
import { z } from 'zod';
import { refuseFormat } from '../pipeline/formatCheck.ts';
import type { PipelineDocument } from '../pipeline/types.ts';
import { kfpServiceProblems } from '../runs/kfpConnection.ts';
import type { StartRunRequest } from '../runs/types.ts';
import type { PipewrightApi } from './contract.ts';

/** One schema per method of T, for its whole argument list. */
export type ValidatorTable<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => unknown ? z.ZodType<A> : never;
};

const MAX_TEXT = 4096;
const MAX_FILE_TEXT = 20 * 1024 * 1024;

const path = z.string().min(1, 'a path is required').max(MAX_TEXT);
const id = z.string().min(1).max(256);
const nonNegativeInt = z.number().int().nonnegative();
const draftId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, '-' and '_' only, at most 64");
const session = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "letters, digits, '-' and '_' only, at most 64");

const position = z.object({ x: z.number(), y: z.number() });
const node = z.looseObject({ id: z.string(), type: z.string(), position });
const edge = z.looseObject({
  id: z.string(),
  source: z.string(),
  sourceHandle: z.string(),
  target: z.string(),
  targetHandle: z.string(),
});

/** The document's shape only; its meaning is checked by the validator in shared/pipeline. */
export const documentSchema: z.ZodType<PipelineDocument> = z
  .looseObject({
    // A newer (or unknown) format is refused at every way in: save, autosave, run.
    format: z.string().superRefine((format, ctx) => {
      const refusal = refuseFormat(format, 'use');
      if (refusal) ctx.addIssue({ code: 'custom', message: refusal.message });
    }),
    name: z.string().max(MAX_TEXT),
    nodes: z.array(node).max(100_000),
    edges: z.array(edge).max(100_000),
  })
  .transform((value) => value as unknown as PipelineDocument);

const runTarget = z.enum(['local', 'kfp', 'argo']);

const envName = z.string().max(256).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name (letters, digits, _)');

/** How the KFP API is reached (the secrets themselves travel only as `kfpToken`, in memory). */
const kfpConnectionFields = {
  kfpAuth: z.enum(['proxy', 'session', 'service-account']).optional(),
  kfpTokenEnv: envName.optional(),
  kfpCookieEnv: envName.optional(),
  kfpServiceAccount: z.string().max(253).regex(/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, 'a ServiceAccount name').optional(),
};

/** Where a cluster run or schedule goes: the kube context and namespace, KFP's address and how to reach it, the experiment. */
const clusterFields = {
  context: z.string().max(MAX_TEXT).optional(),
  namespace: z.string().max(253).optional(),
  kfpUrl: z.string().max(MAX_TEXT).optional(),
  kfpToken: z.string().max(MAX_FILE_TEXT).optional(),
  ...kfpConnectionFields,
  experiment: z.string().max(MAX_TEXT).optional(),
};

const startRunRequest: z.ZodType<StartRunRequest> = z.strictObject({
  document: documentSchema,
  target: runTarget,
  ...clusterFields,
  parameterValues: z.record(z.string().max(64), z.union([z.string().max(MAX_FILE_TEXT), z.number(), z.boolean()])).optional(),
});

/** The KFP service setting, each field checked as kfpServiceProblems words it. */
const kfpServiceSchema = z
  .strictObject({ namespace: z.string().max(63), name: z.string().max(63), port: z.string().max(15), scheme: z.enum(['http', 'https']) })
  .superRefine((value, ctx) => {
    for (const [field, message] of Object.entries(kfpServiceProblems(value)) as [string, string][]) ctx.addIssue({ code: 'custom', path: [field], message });
  });

const settingsPatch = z.strictObject({
  language: z.enum(['system', 'en', 'ko']).optional(),
  theme: z.enum(['system', 'light', 'dark']).optional(),
  pythonPath: z.string().max(MAX_TEXT).nullable().optional(),
  localConcurrency: z.number().int().min(0).max(64).optional(),
  localUseDvc: z.boolean().optional(),
  prometheusUrl: z.string().max(MAX_TEXT).regex(/^https?:\/\/\S+$/, 'an http:// or https:// URL').nullable().optional(),
  defaultGpuProduct: z.string().max(256).nullable().optional(),
  gpuPrices: z.record(z.string().min(1).max(256), z.number().nonnegative().max(1e6)).optional(),
  kubeconfigFiles: z.array(path).max(32).optional(),
  kubeContext: z.string().min(1).max(MAX_TEXT).nullable().optional(),
  kfpService: kfpServiceSchema.optional(),
});

const scheduleSpec = z.strictObject({
  name: z.string().min(1).max(63),
  cron: z.string().min(1).max(200),
  timezone: z.string().min(1).max(100),
  maxConcurrency: z.number().int().min(1).max(10),
  catchUp: z.boolean(),
  parameters: z.record(z.string().max(63), z.union([z.string().max(MAX_TEXT), z.number(), z.boolean()])),
  trigger: z.enum(['cron', 'data-changed']),
});

const clusterEndpoint = z.strictObject({
  target: z.enum(['argo', 'kfp']),
  ...clusterFields,
});

export const apiValidators = {
  getAppInfo: z.tuple([]),
  reportDocumentState: z.tuple([
    z.strictObject({ dirty: z.boolean(), title: z.string().max(MAX_TEXT), path: path.nullable() }),
  ]),
  openFile: z.tuple([path]),
  saveFile: z.tuple([
    z.strictObject({
      path,
      document: documentSchema,
      baseMtimeMs: z.number().nonnegative().optional(),
      force: z.boolean().optional(),
    }),
  ]),
  listDirectory: z.tuple([
    path.nullable(),
    z.strictObject({ filter: z.enum(['pipelines', 'all']).optional() }),
  ]),
  listRecentFiles: z.tuple([]),
  removeRecentFile: z.tuple([path]),
  clearRecentFiles: z.tuple([]),
  exportFiles: z.tuple([
    z.strictObject({
      dir: path,
      files: z.record(z.string().min(1).max(MAX_TEXT), z.string().max(MAX_FILE_TEXT)),
    }),
  ]),
  showOpenDialog: z.tuple([]),
  showSaveDialog: z.tuple([z.string().max(MAX_TEXT)]),
  showFolderDialog: z.tuple([]),
  saveRecovery: z.tuple([
    z.strictObject({ draftId, path: path.nullable(), name: z.string().max(MAX_TEXT), document: documentSchema, session: session.optional() }),
  ]),
  discardRecovery: z.tuple([draftId]),
  listRecovery: z.tuple([]),
  restoreRecovery: z.tuple([draftId, session.optional()]),
  getSettings: z.tuple([]),
  updateSettings: z.tuple([settingsPatch]),
  rememberRunContext: z.tuple([
    z.string().min(1).max(MAX_TEXT),
    z.strictObject({
      target: runTarget,
      context: z.string().max(MAX_TEXT).optional(),
      namespace: z.string().max(253).optional(),
    }),
  ]),
  listContexts: z.tuple([]),
  testConnection: z.tuple([z.string().max(MAX_TEXT), z.string().max(253), z.strictObject({ kfpUrl: z.string().max(MAX_TEXT).optional(), kfpToken: z.string().max(MAX_FILE_TEXT).optional(), ...kfpConnectionFields }).optional()]),
  listKfpExperiments: z.tuple([z.strictObject({ context: z.string().max(MAX_TEXT).optional(), namespace: z.string().max(253).optional(), kfpUrl: z.string().max(MAX_TEXT).optional(), kfpToken: z.string().max(MAX_FILE_TEXT).optional(), ...kfpConnectionFields })]),
  startRun: z.tuple([startRunRequest]),
  cancelRun: z.tuple([id]),
  retryRun: z.tuple([id]),
  listRuns: z.tuple([]),
  getRun: z.tuple([id]),
  readLog: z.tuple([id, id, nonNegativeInt, z.number().int().min(1).max(100_000)]),
  readMetrics: z.tuple([id, id]),
  readArtifacts: z.tuple([id, id]),
  readLineage: z.tuple([id, id.nullable()]),
  deleteRun: z.tuple([id]),
  listNotices: z.tuple([]),
  dismissNotice: z.tuple([z.string().min(1).max(MAX_TEXT)]),
  readEstimateInputs: z.tuple([
    z.strictObject({
      documentPath: path.nullable(),
      modelPaths: z.array(z.string().min(1).max(MAX_TEXT)).max(1000),
      datasetUris: z.array(z.string().min(1).max(MAX_TEXT)).max(1000),
    }),
  ]),
  runPreflight: z.tuple([
    z.strictObject({
      document: documentSchema,
      target: z.enum(['kfp', 'argo']),
      context: z.string().min(1).max(MAX_TEXT),
      namespace: z.string().max(253).optional(),
      kfpUrl: z.string().max(MAX_TEXT).optional(),
      kfpToken: z.string().max(MAX_FILE_TEXT).optional(),
      ...kfpConnectionFields,
    }),
  ]),
  listSchedules: z.tuple([]),
  addSchedule: z.tuple([path, scheduleSpec]),
  setSchedulePaused: z.tuple([z.string().min(1).max(63), z.boolean()]),
  deleteSchedule: z.tuple([z.string().min(1).max(63)]),
  describeKubeconfig: z.tuple([]),
  checkKubeconfigFile: z.tuple([path]),
  startKubeEmulator: z.tuple([]),
  stopKubeEmulator: z.tuple([]),
  listClusterSchedules: z.tuple([clusterEndpoint, z.string().min(1).max(63).optional()]),
  addClusterSchedule: z.tuple([clusterEndpoint, documentSchema, scheduleSpec]),
  setClusterSchedulePaused: z.tuple([clusterEndpoint, id, z.boolean()]),
  deleteClusterSchedule: z.tuple([clusterEndpoint, id]),
  syncScheduledRuns: z.tuple([clusterEndpoint, documentSchema]),
} as const satisfies ValidatorTable<PipewrightApi>;
