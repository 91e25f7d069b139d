import { microsOfDigits } from '../../src/shared/micros.js';
/** Money on the wire is integer micro-units; people read and type whole currency units. */
export const MICROS = 1_000_000;

/** Micro-units → currency units. */
export const fromMicros = (micros: number): number => micros / MICROS;

/** Currency units typed by a person → integer micro-units. */
export const toMicros = (units: number): number => Math.round(units * MICROS);

/**
 * The exact decimal of integer micro-units (`477` → `"0.000477"`), from the integer digits so no float rounds
 * it. Intl formats such a string exactly, and files people download keep it as it is.
 */
export function microsToDecimal(micros: number): `${number}` {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`money must be a safe integer of micro-units, got ${micros}`);
  const abs = BigInt(Math.abs(micros));
  const fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '').padEnd(2, '0');
  return `${micros < 0 ? '-' : ''}${abs / 1_000_000n}.${fraction}` as `${number}`;
}

/** How {@link formatMoney} writes an amount. */
export interface MoneyFormat {
  /** BCP 47 locale, e.g. `en-US`, `zh-CN`: digit grouping and separators. */
  readonly locale: string;
  /** ISO 4217 code of the workspace currency; without it the amount is written without a symbol. */
  readonly currency?: string;
}

/**
 * The dashboard's one way to show money: currency units with two decimals in the locale's form
 * (`10,000.00`), rounded half away from zero on the exact decimal, never through a float. A non-zero amount
 * that would round to 0.00 reads `< 0.01` (`> -0.01`), so a few tokens' revenue is neither hidden as zero
 * nor shown in a second, six-decimal form.
 */
export function formatMoney(amountMicros: number, format: MoneyFormat): string {
  // Aggregates arrive as integers; an average may not, and is shown to the nearest micro-unit.
  const micros = Math.round(amountMicros);
  const nf = new Intl.NumberFormat(format.locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    roundingMode: 'halfExpand',
    ...(format.currency ? { style: 'currency', currency: format.currency } : {}),
  });
  if (micros !== 0 && Math.abs(micros) < 5_000) return micros > 0 ? `< ${nf.format('0.01')}` : `> ${nf.format('-0.01')}`;
  return nf.format(microsToDecimal(micros));
}

/**
 * Currency units typed by a person as a decimal string (`"25.5"`, `"-3"`, `"0.000477"`) → integer
 * micro-units, from the digits so no float rounds them; null when it is not a number with at most six
 * decimals.
 */
export function decimalToMicros(text: string): number | null {
  const m = /^\s*(-?)(\d+)(?:\.(\d{0,6}))?\s*$/.exec(text) ?? /^\s*(-?)()\.(\d{1,6})\s*$/.exec(text);
  return m ? microsOfDigits(m[1] === '-', m[2]!, m[3] ?? '') : null;
}
