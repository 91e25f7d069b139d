import { useMemo } from 'react';
import { EChart } from './EChart.js';
import type { TrendSeries } from './TrendChart.js';

/** Grouped bars: one group per category, one bar per series (or one stacked bar, `stacked`). */
export function BarChart({ categories, series, height, label, horizontal = false, stacked = false }: { categories: readonly string[]; series: readonly TrendSeries[]; height?: number; label: string; horizontal?: boolean; stacked?: boolean }) {
  const option = useMemo(() => {
    const category = { type: 'category', data: categories, axisLabel: { interval: 0, hideOverlap: true } };
    const value = { type: 'value' };
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, type: 'scroll', show: series.length > 1 },
      grid: { left: horizontal ? 100 : 48, right: 16, top: series.length > 1 ? 36 : 16, bottom: 28, containLabel: false },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series.map((s) => ({ name: s.name, type: 'bar', data: s.values, ...(stacked ? { stack: 'total' } : {}) })),
    };
  }, [categories, series, horizontal, stacked]);
  return <EChart option={option} height={height} label={label} />;
}
