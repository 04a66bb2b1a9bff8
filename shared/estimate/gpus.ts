/**
 * GPU products keyed by the `nvidia.com/gpu.product` label NVIDIA GPU feature discovery puts on nodes
 * (the product name with spaces as "-"). Memory is what the driver reports (`nvidia.com/gpu.memory`,
 * MiB); throughput is NVIDIA's dense bf16 tensor figure (fp16 on Turing and Volta, which lack bf16);
 * bandwidth and link speed from the data sheets. Prices are on-demand cloud list prices, rounded,
 * and only defaults: Settings holds the user's own.
 */
import type { GpuProduct } from './types.ts';

type Row = [label: string, memoryMiB: number, tflops: number, bandwidthGBs: number, linkGBs: number, priceUsd: number];

const ROWS: Row[] = [
  ['NVIDIA-B200', 183359, 2250, 8000, 900, 6.0],
  ['NVIDIA-H200', 143771, 989, 4800, 450, 4.5],
  ['NVIDIA-H200-NVL', 143771, 835, 4800, 450, 4.0],
  ['NVIDIA-GH200-480GB', 97871, 989, 4000, 450, 3.5],
  ['NVIDIA-H100-80GB-HBM3', 81559, 989, 3350, 450, 3.5],
  ['NVIDIA-H100', 81559, 989, 3350, 450, 3.5],
  ['NVIDIA-H100-NVL', 95830, 835, 3900, 300, 3.2],
  ['NVIDIA-H100-PCIe', 81559, 756, 2000, 64, 2.9],
  ['NVIDIA-A100-SXM4-80GB', 81920, 312, 2039, 300, 2.0],
  ['NVIDIA-A100-80GB-PCIe', 81920, 312, 1935, 32, 1.8],
  ['NVIDIA-A100-SXM4-40GB', 40960, 312, 1555, 300, 1.5],
  ['NVIDIA-A100-PCIE-40GB', 40960, 312, 1555, 32, 1.3],
  ['NVIDIA-L40S', 46068, 362, 864, 32, 1.2],
  ['NVIDIA-L40', 46068, 181, 864, 32, 1.0],
  ['NVIDIA-A40', 46068, 150, 696, 32, 0.8],
  ['NVIDIA-RTX-6000-Ada-Generation', 49140, 364, 960, 32, 1.1],
  ['NVIDIA-RTX-A6000', 49140, 155, 768, 32, 0.8],
  ['NVIDIA-A10G', 23028, 70, 600, 32, 1.0],
  ['NVIDIA-A10', 23028, 125, 600, 32, 0.75],
  ['NVIDIA-L4', 23034, 121, 300, 32, 0.7],
  ['NVIDIA-GeForce-RTX-4090', 24564, 165, 1008, 32, 0.6],
  ['NVIDIA-GeForce-RTX-3090', 24576, 71, 936, 32, 0.35],
  ['Tesla-V100-SXM2-32GB', 32510, 125, 900, 150, 1.1],
  ['Tesla-V100-SXM2-16GB', 16160, 125, 900, 150, 0.9],
  ['Tesla-T4', 15360, 65, 320, 16, 0.35],
];

export const GPU_PRODUCTS: readonly GpuProduct[] = ROWS.map(([label, memoryMiB, tflops, bandwidthGBs, linkGBs, priceUsd]) => ({ label, memoryMiB, tflops, bandwidthGBs, linkGBs, priceUsd }));

const BY_LABEL = new Map(GPU_PRODUCTS.map((p) => [p.label.toLowerCase(), p]));

/** The product the calibration was measured on; throughput elsewhere is scaled from it. */
export const REFERENCE_PRODUCT: GpuProduct = BY_LABEL.get('nvidia-h200')!;

/** A MIG slice label (`NVIDIA-A100-SXM4-40GB-MIG-3g.20gb`, mixed strategy) as a smaller GPU. */
const MIG = /^(.+)-MIG-(\d)g\.(\d+)gb$/i;

/** The product for a `nvidia.com/gpu.product` label (case-insensitive), or undefined when unknown. */
export function gpuProduct(label: string): GpuProduct | undefined {
  const trimmed = label.trim();
  const exact = BY_LABEL.get(trimmed.toLowerCase());
  if (exact) return exact;
  const mig = MIG.exec(trimmed);
  const base = mig && BY_LABEL.get(mig[1].toLowerCase());
  if (!mig || !base) return undefined;
  const slices = Number(mig[2]);
  // Seven compute slices and eight memory slices per full GPU; the slice's memory is in its name.
  return {
    label: trimmed,
    memoryMiB: Number(mig[3]) * 1024,
    tflops: (base.tflops * slices) / 7,
    bandwidthGBs: (base.bandwidthGBs * Math.min(8, slices + 1)) / 8,
    linkGBs: base.linkGBs,
    priceUsd: Math.round(((base.priceUsd * slices) / 7) * 100) / 100,
  };
}

export const GIB = 1024 ** 3;

export function productMemoryGiB(product: GpuProduct): number {
  return product.memoryMiB / 1024;
}
