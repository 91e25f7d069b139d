import type { MessageKey } from '../i18n/en.js';

/** How a KPI value reads: a count, a share (0–1 shown as %), money in micro-units, a ratio (×), months. */
export type KpiFormat = 'count' | 'percent' | 'money' | 'ratio' | 'months';

/** One month of the analytics overview (src/analytics/report/overview.ts, OverviewMonth), as sent. */
export interface OverviewMonthWire {
  month: string;
  /** False for the running month: month to date, some KPIs null until it ends. */
  complete: boolean;
  elapsedDays?: number;
  daysInMonth?: number;
  coverage: Record<string, number | null>;
  stickiness: Record<string, number | null>;
  cost: Record<string, number | null>;
  brand: Record<string, number | null>;
}

/** One KPI of an advantage: its label, where it sits in a month, how it reads. */
export interface KpiSpec {
  label: MessageKey;
  group: 'coverage' | 'stickiness' | 'cost' | 'brand';
  field: string;
  format: KpiFormat;
}

/** An advantage card: tiles for the headline month and trend lines of KPIs that share one unit. */
export interface AdvantageCard {
  key: 'coverage' | 'stickiness' | 'cost' | 'brand';
  label: MessageKey;
  hint: MessageKey;
  tiles: readonly KpiSpec[];
  trend: readonly KpiSpec[];
}

const kpi = (group: KpiSpec['group'], field: string, label: MessageKey, format: KpiFormat): KpiSpec => ({ group, field, label, format });

/** The four channel advantages (shared/DESIGN.md, analytics) as data: which KPIs each card shows. */
export const advantageCards: readonly AdvantageCard[] = [
  {
    key: 'coverage',
    label: 'advantage.coverage',
    hint: 'advantage.coverageHint',
    tiles: [kpi('coverage', 'activeCustomers', 'kpi.activeCustomers', 'count'), kpi('coverage', 'segmentsReached', 'kpi.segmentsReached', 'count'), kpi('coverage', 'regionsReached', 'kpi.regionsReached', 'count'), kpi('coverage', 'shareOfSom', 'kpi.shareOfSom', 'percent')],
    trend: [kpi('coverage', 'activeCustomers', 'kpi.activeCustomers', 'count')],
  },
  {
    key: 'stickiness',
    label: 'advantage.stickiness',
    hint: 'advantage.stickinessHint',
    tiles: [kpi('stickiness', 'dauMau', 'kpi.dauMau', 'percent'), kpi('stickiness', 'churnRate', 'kpi.churnRate', 'percent'), kpi('stickiness', 'netRevenueRetention', 'kpi.nrr', 'percent')],
    trend: [kpi('stickiness', 'dauMau', 'kpi.dauMau', 'percent'), kpi('stickiness', 'churnRate', 'kpi.churnRate', 'percent'), kpi('stickiness', 'netRevenueRetention', 'kpi.nrr', 'percent')],
  },
  {
    key: 'cost',
    label: 'advantage.costControl',
    hint: 'advantage.costControlHint',
    tiles: [kpi('cost', 'grossMargin', 'kpi.grossMargin', 'percent'), kpi('cost', 'cacMicros', 'kpi.cac', 'money'), kpi('cost', 'ltvToCac', 'kpi.ltvToCac', 'ratio'), kpi('cost', 'paybackMonths', 'kpi.payback', 'months')],
    trend: [kpi('cost', 'costPerMillionTokensMicros', 'kpi.costPerMillion', 'money'), kpi('cost', 'cacMicros', 'kpi.cac', 'money'), kpi('cost', 'arpaMicros', 'kpi.arpa', 'money')],
  },
  {
    key: 'brand',
    label: 'advantage.brand',
    hint: 'advantage.brandHint',
    tiles: [kpi('brand', 'impressions', 'kpi.impressions', 'count'), kpi('brand', 'uniqueVisitors', 'kpi.visitors', 'count'), kpi('brand', 'signups', 'kpi.signups', 'count'), kpi('brand', 'referredShare', 'kpi.referredShare', 'percent')],
    trend: [kpi('brand', 'directShare', 'kpi.directShare', 'percent'), kpi('brand', 'referredShare', 'kpi.referredShare', 'percent'), kpi('brand', 'partnerInfluencedShare', 'kpi.partnerInfluenced', 'percent')],
  },
];

/** A KPI's value in a month in display units (percent × 100, money in currency units); null when undefined. */
export function kpiValue(month: OverviewMonthWire, spec: KpiSpec): number | null {
  const v = month[spec.group]?.[spec.field];
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (spec.format === 'percent') return Math.round(v * 10_000) / 100;
  if (spec.format === 'money') return v / 1_000_000;
  return v;
}
