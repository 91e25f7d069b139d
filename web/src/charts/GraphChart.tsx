import { useMemo } from 'react';
import { EChart } from './EChart.js';

/** A node of the ecosystem graph. */
export interface GraphNode {
  id: string;
  name: string;
  category: string;
  size?: number;
}

/** A relation between two nodes (referral, co-selling, integration). */
export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
}

/** Force-directed graph of nodes and edges, nodes coloured by category. */
export function GraphChart({ nodes, edges, height = 420, label }: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[]; height?: number; label: string }) {
  const option = useMemo(() => {
    const categories = [...new Set(nodes.map((n) => n.category))];
    return {
      tooltip: {},
      legend: { top: 0, data: categories },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          label: { show: true, position: 'right' },
          force: { repulsion: 160, edgeLength: 90 },
          categories: categories.map((name) => ({ name })),
          data: nodes.map((n) => ({ id: n.id, name: n.name, category: categories.indexOf(n.category), symbolSize: n.size ?? 18 })),
          links: edges.map((e) => ({ source: e.source, target: e.target, value: e.kind, label: { show: false } })),
          edgeSymbol: ['none', 'arrow'],
        },
      ],
    };
  }, [nodes, edges]);
  return <EChart option={option} height={height} label={label} />;
}
