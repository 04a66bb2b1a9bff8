/**
 * How step scripts talk to Pipewright: through their log, one machine-readable line per record.
 *   PIPEWRIGHT_METRIC {"step": 10, "loss": 2.31, "learning_rate": 1e-5, "epoch": 0.2}
 *   PIPEWRIGHT_PROGRESS {"current": 10, "total": 200, "label": "train"}
 *   PIPEWRIGHT_INFO {"engine": "tiny"}
 * Hugging Face Trainer dicts and tqdm bars are understood too (see parseLogLine).
 */
export const METRIC_PREFIX = 'PIPEWRIGHT_METRIC ';
export const PROGRESS_PREFIX = 'PIPEWRIGHT_PROGRESS ';
export const INFO_PREFIX = 'PIPEWRIGHT_INFO ';
/** A deploy step's rollout as it moves: PIPEWRIGHT_DEPLOY {"kind": "Rollout", "phase": "Paused", "step": 1, "steps": 6, "weight": 25, ...} */
export const DEPLOY_PREFIX = 'PIPEWRIGHT_DEPLOY ';
/** One object a deploy step applied in a cluster: PIPEWRIGHT_APPLIED {"file": "service.yaml", "kind": "Service", "name": "...", "namespace": "inference", "generation": 1, "yaml": "..."} */
export const APPLIED_PREFIX = 'PIPEWRIGHT_APPLIED ';

/** A machine-readable line of the protocol above (`PIPEWRIGHT_<WORD> {json}`), which log views hide by default. */
export function isProtocolLine(text: string): boolean {
  return /^PIPEWRIGHT_[A-Z]+(?:_[A-Z]+)* \{/.test(text);
}
