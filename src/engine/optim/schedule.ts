/** A learning-rate schedule, as data. */
export type LrSchedule =
  | { kind: 'constant'; lr: number }
  | {
      kind: 'warmup-cosine';
      /** Peak rate, reached at the end of warm-up. */
      maxLr: number;
      /** Floor after the cosine decay. */
      minLr: number;
      /** Linear warm-up steps from 0 (nanoGPT convention: step 0 gets maxLr/warmup). */
      warmupSteps: number;
      /** Step at which the decay reaches minLr; constant afterwards. */
      totalSteps: number;
    };

/** The learning rate at (0-based) `step`. */
export function learningRate(schedule: LrSchedule, step: number): number {
  if (schedule.kind === 'constant') return schedule.lr;
  const { maxLr, minLr, warmupSteps, totalSteps } = schedule;
  if (step < warmupSteps) return (maxLr * (step + 1)) / warmupSteps;
  if (step >= totalSteps) return minLr;
  const progress = (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
  return minLr + 0.5 * (1 + Math.cos(Math.PI * progress)) * (maxLr - minLr);
}
