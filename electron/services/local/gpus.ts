/** The GPUs local stages may use: CUDA_VISIBLE_DEVICES when set, else what `nvidia-smi -L` lists. */
import { execFile } from 'node:child_process';

let detected: Promise<string[]> | undefined;

export function detectGpus(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const visible = env.CUDA_VISIBLE_DEVICES;
  if (visible !== undefined) return Promise.resolve(visible.split(',').map((s) => s.trim()).filter((s) => s !== '' && s !== '-1'));
  detected ??= new Promise((resolve) => {
    execFile('nvidia-smi', ['-L'], { timeout: 10_000 }, (error, stdout) => {
      if (error) return resolve([]);
      resolve(stdout.split('\n').flatMap((line) => {
        const m = /^GPU (\d+):/.exec(line);
        return m ? [m[1]] : [];
      }));
    });
  });
  return detected;
}
