import type { LocalizedText, NodeResources, ParamSpec, PortSpec } from './types.ts';

export type NodeCategory = 'data' | 'training' | 'evaluation' | 'serving' | 'custom';

/** One declarative node type of the catalog (node-catalog/<type>/). */
export interface NodeTypeSpec {
  type: string;
  category: NodeCategory;
  title: LocalizedText;
  help: LocalizedText;
  inputs: PortSpec[];
  outputs: PortSpec[];
  params: ParamSpec[];
  /** Parameters shown on the node card, in order (2-3). */
  cardParams: string[];
  defaultResources: NodeResources;
  defaultRetries: number;
  /** Container image; the pipeline's `settings.image` overrides it when set. */
  image: string;
  /**
   * The step script, one self-contained Python file. Called as
   * `python3 step.py --<param> <value>... --in-<port> <path>... --out-<port> <path>...`.
   * Empty for types that run no container (the `dataset` importer).
   */
  script: string;
  /** `dataset` nodes are imports of an existing URI, not containers. */
  importer?: boolean;
}

export interface NodeCatalog {
  types: ReadonlyMap<string, NodeTypeSpec>;
  get(type: string): NodeTypeSpec | undefined;
  /** Bundled sample data sets by name, addressed as `sample://NAME` (compilers get them here, not from node-catalog). */
  samples?: Readonly<Record<string, string>>;
}
