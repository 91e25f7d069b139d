import { useMemo } from 'react';
import { EChart } from './EChart.js';

/** Retention of one signup cohort: the share still active in each month after signup (0–1). */
export interface Cohort {
  cohort: string;
  retention: readonly number[];
  /** Per cell, whether its month had ended; a false cell is month to date (default: all ended). */
  complete?: readonly boolean[];
}

/** A month-to-date cell: faded, with a dashed outline, so it does not read as a settled month's retention. */
const runningCell = { opacity: 0.5, borderType: 'dashed', borderColor: '#111827', borderWidth: 2 };

/** Cohort retention as a heatmap: cohorts down, months since signup across; running-month cells outlined. */
export function CohortHeatmap({ cohorts, height = 320, label, monthLabel, runningNote }: { cohorts: readonly Cohort[]; height?: number; label: string; monthLabel: (m: number) => string; runningNote?: string }) {
  const running = cohorts.reduce((n, c) => n + (c.complete ?? []).filter((done) => !done).length, 0);
  const option = useMemo(() => {
    const months = Math.max(0, ...cohorts.map((c) => c.retention.length));
    const data = cohorts.flatMap((c, y) => c.retention.map((r, x) => {
      const value = [x, y, Math.round(r * 1000) / 10];
      return c.complete?.[x] === false ? { value, itemStyle: runningCell } : value;
    }));
    // Percentages in the cells only where they fit (desktop widths); the tooltip always has them.
    const roomy = window.innerWidth >= 820;
    return {
      tooltip: { position: 'top' },
      grid: { left: 72, right: 16, top: 8, bottom: 64 },
      xAxis: { type: 'category', data: Array.from({ length: months }, (_, m) => monthLabel(m)), splitArea: { show: true } },
      yAxis: { type: 'category', data: cohorts.map((c) => c.cohort), inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max: 100, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120 },
      series: [{ type: 'heatmap', data, label: { show: roomy && months <= 12, formatter: (p: { value: number[] }) => `${p.value[2]}%` } }],
    };
  }, [cohorts, monthLabel]);
  return (
    <div className="heatmap" data-running-cells={running}>
      <EChart option={option} height={height} label={label} />
      {running > 0 && runningNote ? <p className="muted small" data-testid="heatmap-running-note">{runningNote}</p> : null}
    </div>
  );
}
