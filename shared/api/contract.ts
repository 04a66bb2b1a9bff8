/**
 * THE contract between renderer and back end. Every method takes plain JSON arguments and returns a
 * Promise of plain JSON. To add a method: declare it in one of the *Api interfaces, then add its name to
 * `apiMethods` (methods.ts) and its argument schema to `apiValidators` (validators.ts); the compiler
 * refuses a table that misses or invents a method.
 */
import type { AppApi } from './app.ts';
import type { ClustersApi } from './clusters.ts';
import type { EstimateApi } from './estimate.ts';
import type { FilesApi } from './files.ts';
import type { NoticesApi } from './notices.ts';
import type { PreflightApi } from './preflight.ts';
import type { RecoveryApi } from './recovery.ts';
import type { RunsApi } from './runs.ts';
import type { ClusterSchedulesApi, SchedulesApi } from './schedules.ts';
import type { SettingsApi } from './settings.ts';

export interface PipewrightApi extends AppApi, FilesApi, RecoveryApi, SettingsApi, RunsApi, NoticesApi, EstimateApi, PreflightApi, SchedulesApi, ClustersApi, ClusterSchedulesApi {}

export type ApiMethod = keyof PipewrightApi;
