import { useMemo } from 'react';
import { EChart } from './EChart.js';

/** Retention of one signup cohort: the share still active in each month after signup (0–1). */
export interface Cohort {
  cohort: string;
  retention: readonly number[];
}

/** Cohort retention as a heatmap: cohorts down, months since signup across. */
export function CohortHeatmap({ cohorts, height = 320, label, monthLabel }: { cohorts: readonly Cohort[]; height?: number; label: string; monthLabel: (m: number) => string }) {
  const option = useMemo(() => {
    const months = Math.max(0, ...cohorts.map((c) => c.retention.length));
    const data = cohorts.flatMap((c, y) => c.retention.map((r, x) => [x, y, Math.round(r * 1000) / 10]));
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
  return <EChart option={option} height={height} label={label} />;
}
