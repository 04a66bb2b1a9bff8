/**
 * What images carry and what steps need, as data: the validator warns when a step's image is known
 * to lack what its engine imports (shared/pipeline/imageCheck.ts). An image not listed is not judged.
 */
import type { ImageNeeds, KnownImage } from '../shared/pipeline/catalog.ts';
import { TRAINING_IMAGE } from './params.ts';

/** The repository of an image reference: no tag or digest. */
const repositoryOf = (image: string): string => image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');

const UNSLOTH = ['torch', 'transformers', 'peft', 'trl', 'datasets', 'unsloth'];
const TRANSFORMERS = ['torch', 'transformers', 'peft'];

export const KNOWN_IMAGES: readonly KnownImage[] = [
  {
    repository: repositoryOf(TRAINING_IMAGE),
    // Import names of images/train/requirements.txt plus the base image's torch (images.recipe.test.ts keeps them equal).
    packages: [...UNSLOTH, 'unsloth_zoo', 'bitsandbytes', 'accelerate', 'mlflow', 'prometheus_client', 'pyarrow', 'yaml', 'boto3', 'botocore', 'google'],
    about: "Pipewright's training image (images/train/Dockerfile)",
  },
  { repository: 'unsloth/unsloth', packages: [...UNSLOTH, 'bitsandbytes', 'accelerate'], about: "Unsloth's own image" },
  { repository: 'pytorch/pytorch', packages: ['torch'], about: 'PyTorch only, without transformers, peft or Unsloth' },
  { repository: 'python', packages: [], about: 'plain Python, without PyTorch' },
  { repository: 'nvidia/cuda', packages: [], about: 'CUDA libraries without Python packages' },
];

/** cpt and sft: by `engine`; `auto` on a GPU takes Unsloth or transformers + peft, without one the tiny engine. */
export const TRAINING_NEEDS: ImageNeeds = {
  engineParam: 'engine',
  needs: {
    unsloth: [UNSLOTH],
    transformers: [TRANSFORMERS],
    tiny: [['torch']],
    'auto+gpu': [UNSLOTH, TRANSFORMERS],
    'auto+cpu': [['torch']],
  },
};

/** eval on a GPU evaluates a Hugging Face model (a LoRA adapter on its base); on CPU it may be a tiny model. */
export const EVAL_NEEDS: ImageNeeds = { needs: { gpu: [TRANSFORMERS], cpu: [['torch']] } };
