import { useEffect, useRef } from 'react';
import { echarts, palette, type ChartOption } from './echarts.js';

/** One ECharts canvas that follows its option and the width of its box. */
export function EChart({ option, height = 280, label }: { option: ChartOption; height?: number; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const instance = echarts.init(box.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(box.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ color: palette, animation: false, ...option }, { notMerge: true });
  }, [option]);

  return <div className="chart" ref={box} style={{ height }} role="img" aria-label={label} />;
}
