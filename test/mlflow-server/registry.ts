/**
 * The model registry: registered models, versions, stages and aliases, with MLflow's checks (source URIs as
 * handlers.py `_validate_source` allows them, stage names, reserved alias names) and error answers.
 */
import { invalid, missing, MlflowError } from './store.ts';
import type { TrackingStore } from './store.ts';

export interface ModelVersionRecord {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description: string;
  source: string;
  run_id: string;
  run_link: string;
  status: 'PENDING_REGISTRATION' | 'FAILED_REGISTRATION' | 'READY';
  tags: Map<string, string>;
  /** How many more reads answer PENDING_REGISTRATION before READY. */
  pendingReads: number;
}

export interface RegisteredModelRecord {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description: string;
  tags: Map<string, string>;
  aliases: Map<string, string>;
  versions: ModelVersionRecord[];
}

const STAGES = ['None', 'Staging', 'Production', 'Archived'];

export function canonicalStage(stage: string): string {
  const found = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!found) throw invalid(`Invalid Model Version stage: ${stage}. Value must be one of ${STAGES.join(', ')}.`);
  return found;
}

function checkAlias(alias: string): void {
  if (alias.toLowerCase() === 'latest') throw invalid("'latest' alias name (case insensitive) is reserved.");
  if (/^v\d+$/i.test(alias)) throw invalid(`Version alias name '${alias}' is reserved.`);
  if (alias.length > 255) throw invalid(`Registered model alias name (${alias.slice(0, 40)}...) exceeds the maximum length of 255 characters`);
}

function isLocal(source: string): boolean {
  return !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(source) || source.startsWith('file:');
}

export class ModelRegistry {
  readonly models = new Map<string, RegisteredModelRecord>();

  constructor(
    private readonly tracking: TrackingStore,
    private readonly pendingReads: number,
  ) {}

  create(name: string, tags: { key: string; value?: string }[], description: string): RegisteredModelRecord {
    if (name === '') throw invalid('Registered model name cannot be empty.');
    if (this.models.has(name)) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
    const now = Date.now();
    const model: RegisteredModelRecord = { name, creation_timestamp: now, last_updated_timestamp: now, description, tags: new Map(), aliases: new Map(), versions: [] };
    for (const t of tags) model.tags.set(t.key, t.value ?? '');
    this.models.set(name, model);
    return model;
  }

  get(name: string): RegisteredModelRecord {
    const model = this.models.get(name);
    if (!model) throw missing(`Registered Model with name=${name} not found`);
    return model;
  }

  version(name: string, version: string): ModelVersionRecord {
    const found = this.get(name).versions.find((v) => v.version === version);
    if (!found) throw missing(`Model Version (name=${name}, version=${version}) not found`);
    return found;
  }

  /** As handlers.py `_validate_source`: a local path or file URI only inside the run's own (local) artifact directory, never `..`. */
  private checkSource(source: string, runId: string): void {
    const refused = `Invalid model version source: '${source}'.`;
    if (isLocal(source)) {
      const run = runId ? this.tracking.run(runId) : undefined;
      const root = run && isLocal(run.artifact_uri) ? run.artifact_uri.replace(/^file:\/\//, '') : undefined;
      if (!root || !source.replace(/^file:\/\//, '').startsWith(root)) {
        throw invalid(`${refused} To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.`);
      }
    }
    if (decodeURIComponent(source).split(/[/\\]/).includes('..')) throw invalid(`${refused} If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.`);
  }

  createVersion(name: string, source: string, runId: string, runLink: string, description: string, tags: { key: string; value?: string }[]): ModelVersionRecord {
    this.checkSource(source, runId);
    const model = this.get(name);
    if (runId) this.tracking.run(runId);
    const now = Date.now();
    const version: ModelVersionRecord = {
      name, version: String(model.versions.length + 1), creation_timestamp: now, last_updated_timestamp: now, current_stage: 'None', description,
      source, run_id: runId, run_link: runLink, status: this.pendingReads > 0 ? 'PENDING_REGISTRATION' : 'READY', tags: new Map(), pendingReads: this.pendingReads,
    };
    for (const t of tags) version.tags.set(t.key, t.value ?? '');
    model.versions.push(version);
    model.last_updated_timestamp = now;
    return version;
  }

  /** A read of a version: a pending registration becomes READY after the configured number of reads. */
  read(name: string, version: string): ModelVersionRecord {
    const v = this.version(name, version);
    if (v.status === 'PENDING_REGISTRATION' && --v.pendingReads <= 0) v.status = 'READY';
    return v;
  }

  transition(name: string, version: string, stage: string, archiveExisting: boolean): ModelVersionRecord {
    const target = canonicalStage(stage);
    const v = this.version(name, version);
    if (archiveExisting && target !== 'Staging' && target !== 'Production') {
      throw invalid(`Model version transition cannot archive existing model versions because '${target}' is not an Active stage. Valid stages are Staging, Production`);
    }
    const now = Date.now();
    if (archiveExisting) {
      for (const other of this.get(name).versions) {
        if (other !== v && other.current_stage === target) Object.assign(other, { current_stage: 'Archived', last_updated_timestamp: now });
      }
    }
    Object.assign(v, { current_stage: target, last_updated_timestamp: now });
    return v;
  }

  setAlias(name: string, alias: string, version: string): void {
    checkAlias(alias);
    this.version(name, version);
    this.get(name).aliases.set(alias, version);
  }

  byAlias(name: string, alias: string): ModelVersionRecord {
    const version = this.get(name).aliases.get(alias);
    if (version === undefined) throw missing(`Registered model alias ${alias} not found.`);
    return this.version(name, version);
  }

  deleteAlias(name: string, alias: string): void {
    this.get(name).aliases.delete(alias);
  }

  aliasesOf(v: ModelVersionRecord): string[] {
    return [...this.get(v.name).aliases].filter(([, version]) => version === v.version).map(([alias]) => alias);
  }
}
