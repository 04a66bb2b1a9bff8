export type CompiledFiles = Record<string, string>;
