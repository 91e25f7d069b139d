import { useMemo } from 'react';
import { EChart } from './EChart.js';

/** One named series of a trend: a value per x label (month, step). */
export interface TrendSeries {
  name: string;
  values: readonly (number | null)[];
  /** Values at a few labels only (validation every N steps): drawn as points joined across the gaps. */
  sparse?: boolean;
}

/** Line (or stacked area) trends over shared x labels. */
export function TrendChart({ labels, series, area = false, height, label, yName }: { labels: readonly (string | number)[]; series: readonly TrendSeries[]; area?: boolean; height?: number; label: string; yName?: string }) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: labels, boundaryGap: false },
      yAxis: { type: 'value', name: yName, scale: !area },
      series: series.map((s) => ({ name: s.name, type: 'line', data: s.values, showSymbol: s.sparse === true || labels.length < 30, connectNulls: s.sparse === true, smooth: false, ...(area ? { areaStyle: { opacity: 0.25 }, stack: 'total' } : {}) })),
    }),
    [labels, series, area, yName],
  );
  return <EChart option={option} height={height} label={label} />;
}
