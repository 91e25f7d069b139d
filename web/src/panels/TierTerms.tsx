import { num, type Row } from '../api/records.js';
import { useI18n } from '../i18n/context.js';
import type { MessageKey } from '../i18n/en.js';

type Unit = 'micros' | 'count' | 'bps';

/**
 * The tier schema's requirement keys (src/partners/tier-rules.ts, requirementRules) as the dashboard reads
 * them: label, bound and unit. Keys the server does not know never reach here: it refuses them on write.
 */
const requirementTerms: Readonly<Record<string, { label: MessageKey; bound: 'min' | 'max'; unit: Unit }>> = {
  minMonthlyRevenueMicros: { label: 'tierReq.minMonthlyRevenueMicros', bound: 'min', unit: 'micros' },
  minActiveCustomers: { label: 'tierReq.minActiveCustomers', bound: 'min', unit: 'count' },
  minCustomersSourced: { label: 'tierReq.minCustomersSourced', bound: 'min', unit: 'count' },
  minCertifiedStaff: { label: 'tierReq.minCertifiedStaff', bound: 'min', unit: 'count' },
  minMonthlyTokens: { label: 'tierReq.minMonthlyTokens', bound: 'min', unit: 'count' },
  minRetentionBps: { label: 'tierReq.minRetentionBps', bound: 'min', unit: 'bps' },
  maxErrorRateBps: { label: 'tierReq.maxErrorRateBps', bound: 'max', unit: 'bps' },
};

/** The tier schema's benefit keys (tierBenefitsSchema) with their units; `support` is text. */
const benefitTerms: Readonly<Record<string, { label: MessageKey; unit: Unit | 'text' }>> = {
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
export function CheckText({ check }: { check: Row }) {
  const { t } = useI18n();
  const value = useTierValue();
  const key = String(check.key);
  const term = requirementTerms[key];
  const unit = (typeof check.unit === 'string' ? check.unit : term?.unit ?? 'count') as Unit;
  const max = check.bound === 'max' || term?.bound === 'max';
  const met = check.met === true;
  const sign = max ? (met ? '≤' : '>') : met ? '≥' : '<';
  return (
    <>
      {term ? t(term.label) : key} {value(unit, num(check, 'actual'))} {sign} {value(unit, num(check, 'required'))}
    </>
  );
}

/** A tier's requirements in words, one per line: `monthly revenue ≥ 2.00`, `active customers ≥ 8`. */
export function TierRequirementsText({ requirements }: { requirements: unknown }) {
  const { t } = useI18n();
  const value = useTierValue();
  const entries = Object.entries((requirements ?? {}) as Row).filter(([key]) => key in requirementTerms);
  if (entries.length === 0) return <span className="muted">{t('partners.noRequirements')}</span>;
  return (
    <>
      {entries.map(([key, v]) => {
        const term = requirementTerms[key]!;
        return <span key={key} className="term">{`${t(term.label)} ${term.bound === 'max' ? '≤' : '≥'} ${value(term.unit, typeof v === 'number' ? v : null)}`}</span>;
      })}
    </>
  );
}

/** A tier's benefits in words, one per line: `revenue share 15.00%`, `co-marketing funds 500.00`. */
export function TierBenefitsText({ benefits }: { benefits: unknown }) {
  const value = useTierValue();
  const { t } = useI18n();
  const entries = Object.entries((benefits ?? {}) as Row).filter(([key]) => key in benefitTerms);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {entries.map(([key, v]) => {
        const term = benefitTerms[key]!;
        const shown = term.unit === 'text' ? String(v) : value(term.unit, typeof v === 'number' ? v : null);
        return <span key={key} className="term">{`${t(term.label)} ${shown}`}</span>;
      })}
    </>
  );
}
