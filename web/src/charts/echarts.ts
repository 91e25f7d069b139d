/**
 * ECharts with only the chart kinds the dashboard draws, registered once, so the bundle carries
 * line, bar, Sankey, graph and heatmap and nothing else.
 */
import { BarChart, GraphChart, HeatmapChart, LineChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkPointComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, SankeyChart, GraphChart, HeatmapChart, GridComponent, TooltipComponent, LegendComponent, VisualMapComponent, MarkPointComponent, CanvasRenderer]);

export { echarts };
/** The option object every chart component builds. */
export type ChartOption = echarts.EChartsCoreOption;

/** The dashboard's palette, in series order. */
export const palette = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d'];
