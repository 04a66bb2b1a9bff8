import { describe, expect, it } from 'vitest';
import { BUILTIN_IMAGE, stepImage } from './image.ts';
import { imageRepository } from './imageCheck.ts';

describe('stepImage: node, else type default, else settings.image, else built-in', () => {
  it.each<[string, string | undefined, string, string | undefined, [string, string]]>([
    ['the node names one', 'acme/train:2', 'ghcr.io/x/train:1', 'acme/base:1', ['acme/train:2', 'node']],
    ['only the type names one', undefined, 'ghcr.io/x/train:1', 'acme/base:1', ['ghcr.io/x/train:1', 'type']],
    ['the type names none (python)', undefined, '', 'acme/base:1', ['acme/base:1', 'pipeline']],
    ['nothing names one', undefined, '', undefined, [BUILTIN_IMAGE, 'builtin']],
    ['a blank node image counts as none', '  ', 'ghcr.io/x/train:1', undefined, ['ghcr.io/x/train:1', 'type']],
  ])('%s', (_label, node, type, pipeline, [image, source]) => {
    expect(stepImage({ image: node }, { image: type }, pipeline === undefined ? {} : { image: pipeline })).toEqual({ image, source });
  });

  it('an unknown type falls back to the pipeline default', () => {
    expect(stepImage({}, undefined, { image: 'a/b:1' })).toEqual({ image: 'a/b:1', source: 'pipeline' });
  });
});

describe('imageRepository', () => {
  it.each([
    ['pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime', 'pytorch/pytorch'],
    ['docker.io/pytorch/pytorch', 'pytorch/pytorch'],
    ['python:3.11-slim', 'python'],
    ['docker.io/library/python:3.12', 'python'],
    ['library/python@sha256:abcd', 'python'],
    ['ghcr.io/pipewright/train:0.1.0', 'ghcr.io/pipewright/train'],
    ['registry.local:5000/acme/train:1', 'registry.local:5000/acme/train'],
    ['registry.local:5000/acme/train', 'registry.local:5000/acme/train'],
  ])('%s -> %s', (image, repository) => {
    expect(imageRepository(image)).toBe(repository);
  });
});
