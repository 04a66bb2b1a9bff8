/** A document the KFP compiler cannot turn into a pipeline (run the validator first: it names every problem). */
export class KfpCompileError extends Error {
  constructor(
    message: string,
    readonly nodeId?: string,
    readonly edgeId?: string,
  ) {
    super(message);
    this.name = 'KfpCompileError';
  }
}
