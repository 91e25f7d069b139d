import { useMemo } from 'react';
import { EChart } from './EChart.js';

/** One flow of a Sankey diagram (e.g. revenue from a channel to a partner), in display units. */
export interface Flow {
  source: string;
  target: string;
  value: number;
}

/** A Sankey diagram of flows; nodes are the distinct sources and targets. */
export function SankeyChart({ flows, height, label }: { flows: readonly Flow[]; height?: number; label: string }) {
  const option = useMemo(() => {
    const names = [...new Set(flows.flatMap((f) => [f.source, f.target]))];
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'sankey', data: names.map((name) => ({ name })), links: flows.map((f) => ({ ...f })), emphasis: { focus: 'adjacency' }, lineStyle: { color: 'gradient', curveness: 0.5 }, left: 8, right: 130, nodeGap: 12 }],
    };
  }, [flows]);
  // Each column needs room for its labels: about 20 px per node of the busiest column (channels), at least 360.
  const nodes = new Set(flows.map((f) => f.target)).size;
  return <EChart option={option} height={height ?? Math.max(360, 20 * nodes)} label={label} />;
}
