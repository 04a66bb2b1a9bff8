/** What the estimate needs from the file system: local base models' config.json and local datasets' sizes. */

export interface EstimateInputsRequest {
  /** The open document's file: relative paths resolve against its folder (else the back end's working folder). */
  documentPath: string | null;
  /** base_model values that are local paths. */
  modelPaths: string[];
  /** Dataset URIs that are local paths (`/data/x.jsonl`, `file:///data/`). */
  datasetUris: string[];
}

export interface EstimateInputs {
  /** By model path: its parsed config.json, `missing` when there is none, or why it could not be read. */
  modelConfigs: Record<string, { config: unknown } | { missing: true } | { error: string }>;
  /** By URI: text bytes of the file or folder (data files only; Parquet counted as its uncompressed text), null when unreadable. */
  datasetBytes: Record<string, number | null>;
}

export interface EstimateApi {
  readEstimateInputs(request: EstimateInputsRequest): Promise<EstimateInputs>;
}
