/** The stand-in MLflow tracking server (tests only); see README.md. */
export { startMlflowServer } from './server.ts';
export type { Fault, MlflowServerOptions, MlflowStandIn, RequestRecord } from './server.ts';
export { MLFLOW_API, checkFields } from './schema.ts';
