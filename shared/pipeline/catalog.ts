import type { LocalizedText, NodeResources, ParamSpec, PortSpec } from './types.ts';

/**
 * The Python packages a step imports to do its work in a container, for the validator's image check.
 * Keys are `<engine>+gpu` / `<engine>+cpu` (or `<engine>`) when the type has an engine parameter, else
 * `gpu` / `cpu`; each value lists alternatives, any one of which is enough.
 */
export interface ImageNeeds {
  engineParam?: string;
  needs: Readonly<Record<string, readonly (readonly string[])[]>>;
}

/** What a known image (a repository, any tag) carries: the Python packages importable in it. */
export interface KnownImage {
  /** `pytorch/pytorch`, `python`, `ghcr.io/pipewright/train` (Docker Hub names without `docker.io/library/`). */
  repository: string;
  packages: readonly string[];
  /** One line about the image, for messages: "PyTorch only". */
  about: string;
}

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
  /** The type's default image (empty: none, the pipeline's `settings.image` applies); see shared/pipeline/image.ts. */
  image: string;
  /** What the step needs its image to carry, for the validator (absent: not checked). */
  imageNeeds?: ImageNeeds;
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
  /** Images whose contents are known, for the validator's image check. */
  images?: readonly KnownImage[];
  /** The data-check step script of cluster schedules that run "when the data changes" (node-catalog/_datacheck). */
  dataCheckScript?: string;
}
