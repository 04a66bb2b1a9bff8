import { describe, expect, it } from 'vitest';
import { GPU_PRODUCTS, gpuProduct, productMemoryGiB } from './gpus.ts';

describe('GPU products by their feature-discovery label', () => {
  it.each([
    ['NVIDIA-H200', 140.4], ['NVIDIA-H100-80GB-HBM3', 79.6], ['NVIDIA-A100-SXM4-80GB', 80], ['NVIDIA-A100-SXM4-40GB', 40], ['NVIDIA-A100-PCIE-40GB', 40],
    ['NVIDIA-A100-80GB-PCIe', 80], ['NVIDIA-L40S', 45], ['NVIDIA-L4', 22.5], ['NVIDIA-A10G', 22.5], ['NVIDIA-GeForce-RTX-4090', 24], ['Tesla-T4', 15],
  ])('%s has %s GiB', (label, gib) => {
    const product = gpuProduct(label);
    expect(product && productMemoryGiB(product)).toBeCloseTo(gib, 1);
  });

  it('matches labels case-insensitively and reads MIG slices as smaller GPUs', () => {
    expect(gpuProduct('nvidia-h100-80gb-hbm3')?.label).toBe('NVIDIA-H100-80GB-HBM3');
    const slice = gpuProduct('NVIDIA-A100-SXM4-80GB-MIG-3g.40gb')!;
    expect(productMemoryGiB(slice)).toBe(40);
    expect(slice.tflops).toBeCloseTo((312 * 3) / 7, 5);
    expect(gpuProduct('NVIDIA-Imaginary-9000')).toBeUndefined();
    expect(gpuProduct('NVIDIA-Imaginary-MIG-1g.5gb')).toBeUndefined();
  });

  it('has one entry per label, each with plausible figures', () => {
    expect(new Set(GPU_PRODUCTS.map((p) => p.label)).size).toBe(GPU_PRODUCTS.length);
    for (const p of GPU_PRODUCTS) {
      expect(p.label).toMatch(/^(NVIDIA|Tesla)-[A-Za-z0-9.-]+$/);
      expect(p.memoryMiB).toBeGreaterThan(14000);
      expect(p.tflops).toBeGreaterThan(50);
      expect(p.bandwidthGBs).toBeGreaterThan(250);
      expect(p.priceUsd).toBeGreaterThan(0);
    }
  });
});
