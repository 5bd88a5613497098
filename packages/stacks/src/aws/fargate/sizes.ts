// The task sizes Fargate runs: each CPU size allows only some memory sizes (AWS's table). Specs
// are refused with the allowed range rather than failing at deploy time.

/** CPU units (1024 = 1 vCPU) → allowed memory in MiB: from, to, step. */
export const FARGATE_SIZES = {
  256: { from: 512, to: 2048, allowed: [512, 1024, 2048] },
  512: { from: 1024, to: 4096, step: 1024 },
  1024: { from: 2048, to: 8192, step: 1024 },
  2048: { from: 4096, to: 16384, step: 1024 },
  4096: { from: 8192, to: 30720, step: 1024 },
  8192: { from: 16384, to: 61440, step: 4096 },
  16384: { from: 32768, to: 122880, step: 8192 },
} as const satisfies Record<number, { from: number; to: number; step?: number; allowed?: readonly number[] }>;

export type FargateCpu = keyof typeof FARGATE_SIZES;
export const FARGATE_CPUS = Object.keys(FARGATE_SIZES).map(Number) as FargateCpu[];

/** Memory sizes (MiB) Fargate allows with `cpu`. */
export function fargateMemories(cpu: FargateCpu): number[] {
  const size: { from: number; to: number; step?: number; allowed?: readonly number[] } = FARGATE_SIZES[cpu];
  if (size.allowed) return [...size.allowed];
  const step = size.step ?? 1024;
  return Array.from({ length: (size.to - size.from) / step + 1 }, (_, i) => size.from + i * step);
}

/** Why `memory` does not go with `cpu`, or undefined when it does. */
export function fargateSizeIssue(cpu: FargateCpu, memory: number): string | undefined {
  if (fargateMemories(cpu).includes(memory)) return undefined;
  const size: { from: number; to: number; step?: number; allowed?: readonly number[] } = FARGATE_SIZES[cpu];
  const range = size.allowed
    ? size.allowed.join(", ")
    : `${size.from} to ${size.to} in steps of ${size.step ?? 1024}`;
  return `with cpu ${cpu} Fargate allows memory ${range} (MiB)`;
}
