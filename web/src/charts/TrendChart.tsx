import { useMemo } from 'react';
import { EChart } from './EChart.js';
import { palette } from './echarts.js';

/** One named series of a trend: a value per x label (month, step). */
export interface TrendSeries {
  name: string;
  values: readonly (number | null)[];
  /** Values at a few labels only (validation every N steps): drawn as points joined across the gaps. */
  sparse?: boolean;
}

/**
 * The x label of a last point that is still moving (a running month), drawn dashed, and the note that
 * says so under the chart.
 */
export interface RunningPoint {
  label: string | number;
  note: string;
}

/**
 * A line series, or two when the last point is running: the settled part solid, the step into the running
 * point dashed, under one legend name (ECharts toggles series that share a name together).
 */
function lineSeries(s: TrendSeries, color: string, runningIndex: number, area: boolean) {
  const base = { name: s.name, type: 'line', smooth: false, color, ...(area ? { areaStyle: { opacity: 0.25 }, stack: 'total' } : {}) };
  if (runningIndex < 1) return [{ ...base, data: s.values }];
  const settled = s.values.map((v, i) => (i < runningIndex ? v : null));
  const running = s.values.map((v, i) => (i >= runningIndex - 1 ? v : null));
  return [{ ...base, data: settled }, { ...base, data: running, lineStyle: { type: 'dashed' }, symbol: 'emptyCircle', ...(area ? { stack: 'running', areaStyle: { opacity: 0.1 } } : {}) }];
}

/** Line (or stacked area) trends over shared x labels; a running last point is dashed and named below. */
export function TrendChart({ labels, series, area = false, height, label, yName, running }: { labels: readonly (string | number)[]; series: readonly TrendSeries[]; area?: boolean; height?: number; label: string; yName?: string; running?: RunningPoint | null }) {
  const runningIndex = running ? labels.indexOf(running.label) : -1;
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: labels, boundaryGap: false },
      yAxis: { type: 'value', name: yName, scale: !area },
      series: series.flatMap((s, i) => lineSeries(s, palette[i % palette.length]!, runningIndex, area).map((x) => ({ ...x, showSymbol: s.sparse === true || labels.length < 30, connectNulls: s.sparse === true }))),
    }),
    [labels, series, area, yName, runningIndex],
  );
  return (
    <div className="trend" data-running={runningIndex >= 0 ? String(labels[runningIndex]) : undefined}>
      <EChart option={option} height={height} label={label} />
      {runningIndex >= 0 && running ? <p className="muted small" data-testid="trend-running-note">{running.note}</p> : null}
    </div>
  );
}
