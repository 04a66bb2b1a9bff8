/**
 * The validator's image check: a step whose image is known (the catalog's table of images) not to
 * carry what its engine imports gets a warning before it costs GPU hours. Unknown images pass.
 */
import type { ImageNeeds, KnownImage, NodeCatalog } from './catalog.ts';
import { stepImage } from './image.ts';
import type { ImageSource } from './image.ts';
import type { ResolvedNode } from './resolve.ts';
import { problem } from './validateCodes.ts';
import type { PipelineSettings, Problem } from './types.ts';

/** The repository of an image reference, as KNOWN_IMAGES names it: no tag, digest or `docker.io/library/`. */
export function imageRepository(image: string): string {
  const bare = image.trim().replace(/@[^@]*$/, '').replace(/:[^/:]*$/, '');
  const hub = bare.replace(/^(?:docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  return hub.startsWith('library/') ? hub.slice('library/'.length) : hub;
}

export function knownImage(image: string, images: readonly KnownImage[] | undefined): KnownImage | undefined {
  const repository = imageRepository(image);
  return images?.find((k) => k.repository === repository);
}

/** The package sets (any one enough) a step needs, by its engine (if its type has one) and GPU count. */
export function stepNeeds(needs: ImageNeeds, params: Readonly<Record<string, unknown>>, gpus: number): { needs: readonly (readonly string[])[]; engine?: string } | undefined {
  const device = gpus > 0 ? 'gpu' : 'cpu';
  if (!needs.engineParam) {
    const list = needs.needs[device];
    return list ? { needs: list } : undefined;
  }
  const engine = String(params[needs.engineParam] ?? '');
  const list = needs.needs[`${engine}+${device}`] ?? needs.needs[engine];
  return list ? { needs: list, engine } : undefined;
}

const SOURCE_WORDS: Record<ImageSource, string> = {
  node: 'set on the node',
  type: "the type's default",
  pipeline: "the pipeline's default image",
  builtin: "Pipewright's built-in image",
};

/** A warning when the step's image is known to lack every set of packages its engine could use. */
export function checkStepImage(resolved: ResolvedNode, settings: PipelineSettings | undefined, catalog: NodeCatalog): Problem[] {
  const needs = resolved.spec.imageNeeds;
  if (!needs) return [];
  const { image, source } = stepImage(resolved.node, resolved.spec, settings);
  const known = knownImage(image, catalog.images);
  if (!known) return [];
  const gpus = typeof resolved.resources.gpus === 'number' ? resolved.resources.gpus : 0;
  const want = stepNeeds(needs, resolved.params, gpus);
  if (!want || want.needs.length === 0) return [];
  const missing = want.needs.map((set) => set.filter((pkg) => !known.packages.includes(pkg)));
  if (missing.some((m) => m.length === 0)) return [];
  const nodeId = resolved.node.id;
  const what = `${want.engine !== undefined ? `engine "${want.engine}"` : `a ${resolved.spec.type} step`} ${gpus > 0 ? `with ${gpus} GPU${gpus === 1 ? '' : 's'}` : 'without GPUs'}`;
  const lacks = missing.map((m) => m.join(', ')).join(' or ');
  const fix = source === 'type' ? 'set an image on the node that has them' : `clear the node's image to use the type's default (${resolved.spec.image || 'none'}) or use an image that has them`;
  return [
    problem(
      'image-lacks-packages',
      `Node "${nodeId}" runs in ${image} (${SOURCE_WORDS[source]}: ${known.about}), which lacks what ${what} imports: ${lacks}. The step would fail on the cluster; ${fix}.`,
      { nodeId, field: 'image' },
    ),
  ];
}
