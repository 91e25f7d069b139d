import { describe, expect, it } from 'vitest';
import { sizeMarket } from './marketSizing.js';
import { observedShares } from './observedShare.js';

// One segment, 1,000 accounts: 50 % serviceable (500) and 10 % of those obtainable (50).
const segment = { id: 's', accounts: 1000, serviceableShare: 0.5, adoptionRate: 0.1, annualPriceMicros: 12_000_000_000 };
const size = sizeMarket([segment]).segments[0]!;

describe('observedShares', () => {
  it('counts accounts on both sides: 20 customers are 4 % of SAM and 40 % of SOM', () => {
    expect(observedShares(20, segment, size)).toEqual({
      ofSam: { basis: 'accounts', observed: 20, sized: 500, share: 0.04, exceedsSizing: null },
      ofSom: { basis: 'accounts', observed: 20, sized: 50, share: 0.4, exceedsSizing: null },
    });
  });
  it('77 customers against 50 obtainable accounts is no share: the adoption rate is too low', () => {
    const { ofSam, ofSom } = observedShares(77, segment, size);
    expect(ofSam.share).toBeCloseTo(77 / 500, 15);
    expect(ofSom).toEqual({ basis: 'accounts', observed: 77, sized: 50, share: null, exceedsSizing: { input: 'adoptionRate', ratio: 1.54 } });
  });
  it('names the widest input the observation exceeds: serviceable share past 500, accounts past 1,000', () => {
    const past = observedShares(600, segment, size);
    expect(past.ofSam.exceedsSizing).toEqual({ input: 'serviceableShare', ratio: 1.2 });
    expect(past.ofSom.exceedsSizing).toEqual({ input: 'serviceableShare', ratio: 12 });
    expect(observedShares(1500, segment, size).ofSom.exceedsSizing?.input).toBe('accounts');
  });
  it('exactly the sizing is 100 %; customers in a segment sized at 0 flag the input that zeroed it', () => {
    expect(observedShares(50, segment, size).ofSom).toMatchObject({ share: 1, exceedsSizing: null });
    const none = sizeMarket([{ ...segment, adoptionRate: 0 }]).segments[0]!;
    expect(observedShares(3, segment, none).ofSom).toMatchObject({ sized: 0, share: null, exceedsSizing: { input: 'adoptionRate', ratio: null } });
    expect(observedShares(0, segment, none).ofSom).toMatchObject({ sized: 0, share: null, exceedsSizing: null });
  });
});
