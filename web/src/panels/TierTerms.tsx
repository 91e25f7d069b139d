import type { RequirementCheckAnswer, RequirementKey, TierBenefits, TierRequirements } from '../../../src/shared/contract/partners.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';

type Unit = RequirementCheckAnswer['unit'];

/**
 * The tier schema's requirement keys (src/shared/contract/partners.ts; src/partners/tier-rules.ts says which
 * metric each reads) as the dashboard reads them: label, bound and unit. A key added to the schema is a
 * compile error here until it has its words.
 */
const requirementTerms: Readonly<Record<RequirementKey, { label: MessageKey; bound: 'min' | 'max'; unit: Unit }>> = {
  minMonthlyRevenueMicros: { label: 'tierReq.minMonthlyRevenueMicros', bound: 'min', unit: 'micros' },
  minActiveCustomers: { label: 'tierReq.minActiveCustomers', bound: 'min', unit: 'count' },
  minCustomersSourced: { label: 'tierReq.minCustomersSourced', bound: 'min', unit: 'count' },
  minCertifiedStaff: { label: 'tierReq.minCertifiedStaff', bound: 'min', unit: 'count' },
  minMonthlyTokens: { label: 'tierReq.minMonthlyTokens', bound: 'min', unit: 'count' },
  minRetentionBps: { label: 'tierReq.minRetentionBps', bound: 'min', unit: 'bps' },
  maxErrorRateBps: { label: 'tierReq.maxErrorRateBps', bound: 'max', unit: 'bps' },
};

/** The tier schema's benefit keys (tierBenefitsSchema) with their units; `support` is text. */
const benefitTerms: Readonly<Record<keyof TierBenefits, { label: MessageKey; unit: Unit | 'text' }>> = {
  revenueShareBps: { label: 'tierBenefit.revenueShareBps', unit: 'bps' },
  discountBps: { label: 'tierBenefit.discountBps', unit: 'bps' },
  monthlyTokenQuota: { label: 'tierBenefit.monthlyTokenQuota', unit: 'count' },
  coMarketingFundsMicros: { label: 'tierBenefit.coMarketingFundsMicros', unit: 'micros' },
  support: { label: 'tierBenefit.support', unit: 'text' },
};

/** Formats a tier value in its unit: money through the one money formatter, basis points as a per cent. */
export function useTierValue(): (unit: Unit, value: number | null) => string {
  const { formatNumber, formatMoney } = useI18n();
  return (unit, value) => {
    if (value === null) return '—';
    if (unit === 'micros') return formatMoney(value);
    if (unit === 'bps') return `${formatNumber(value / 100, 2)}%`;
    return formatNumber(value);
  };
}

/** One requirement check from the server (RequirementCheck) in words: `monthly revenue 2.09 ≥ 2.00`. */
export function CheckText({ check }: { check: RequirementCheckAnswer }) {
  const { t } = useI18n();
  const value = useTierValue();
  const sign = check.bound === 'max' ? (check.met ? '≤' : '>') : check.met ? '≥' : '<';
  return (
    <>
      {t(requirementTerms[check.key].label)} {value(check.unit, check.actual)} {sign} {value(check.unit, check.required)}
    </>
  );
}

/** The entries of an object with its own key type (keys the schema does not name never reach here). */
const entriesOf = <K extends string, V>(record: Partial<Record<K, V>>): [K, V][] => Object.entries(record).filter((e) => e[1] !== undefined) as [K, V][];

/** A tier's requirements in words, one per line: `monthly revenue ≥ 2.00`, `active customers ≥ 8`. */
export function TierRequirementsText({ requirements }: { requirements: TierRequirements }) {
  const { t } = useI18n();
  const value = useTierValue();
  const entries = entriesOf(requirements);
  if (entries.length === 0) return <span className="muted">{t('partners.noRequirements')}</span>;
  return (
    <>
      {entries.map(([key, v]) => {
        const term = requirementTerms[key];
        return <span key={key} className="term">{`${t(term.label)} ${term.bound === 'max' ? '≤' : '≥'} ${value(term.unit, v)}`}</span>;
      })}
    </>
  );
}

/** A tier's benefits in words, one per line: `revenue share 15.00%`, `co-marketing funds 500.00`. */
export function TierBenefitsText({ benefits }: { benefits: TierBenefits }) {
  const value = useTierValue();
  const { t } = useI18n();
  const entries = entriesOf<keyof TierBenefits, string | number>(benefits);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {entries.map(([key, v]) => {
        const term = benefitTerms[key];
        const shown = term.unit === 'text' || typeof v === 'string' ? String(v) : value(term.unit, v);
        return <span key={key} className="term">{`${t(term.label)} ${shown}`}</span>;
      })}
    </>
  );
}
