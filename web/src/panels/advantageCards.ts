import type { OverviewMonthView } from '../../../src/shared/contract/analytics.js';
import type { MessageKey } from '../i18n/en.js';

/** How a KPI value reads: a count, a share (0–1 shown as %), money in micro-units, a ratio (×), months. */
export type KpiFormat = 'count' | 'percent' | 'money' | 'ratio' | 'months';

/** One month of the analytics overview (GET /api/analytics/overview, src/shared/contract/analytics.ts). */
export type OverviewMonthWire = OverviewMonthView;

/** The four advantages, each a group of KPIs in a month of the overview. */
type Group = 'coverage' | 'stickiness' | 'cost' | 'brand';

/** One KPI of an advantage: its label, where it sits in a month, how it reads. */
export interface KpiSpec {
  label: MessageKey;
  group: Group;
  field: string;
  format: KpiFormat;
  /** The KPI's value in a month as the server sends it (null where it is not defined, e.g. churn mid-month). */
  read: (month: OverviewMonthView) => number | null;
}

/** An advantage card: tiles for the headline month and trend lines of KPIs that share one unit. */
export interface AdvantageCard {
  key: 'coverage' | 'stickiness' | 'cost' | 'brand';
  label: MessageKey;
  hint: MessageKey;
  tiles: readonly KpiSpec[];
  trend: readonly KpiSpec[];
}

/** A KPI of `group`; `field` is one of that group's fields in the overview's month (a typo is a compile error). */
function kpi<G extends Group>(group: G, field: keyof OverviewMonthView[G] & string, label: MessageKey, format: KpiFormat): KpiSpec {
  const read = (month: OverviewMonthView): number | null => {
    const figures: Readonly<Record<string, number | null>> = month[group];
    return figures[field] ?? null;
  };
  return { group, field, label, format, read };
}

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
  const v = spec.read(month);
  if (v === null || !Number.isFinite(v)) return null;
  if (spec.format === 'percent') return Math.round(v * 10_000) / 100;
  if (spec.format === 'money') return v / 1_000_000;
  return v;
}
