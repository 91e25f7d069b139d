/**
 * Observed share of a sized market: what the ledger shows against what the bottom-up sizing
 * (marketSizing.ts) says is there, counted on one basis on both sides — accounts: distinct customers
 * of the segment with ledger rows in the window ÷ the sized accounts (serviceable for SAM, obtainable for
 * SOM). Revenue is left out of the share on purpose: a window's ledger revenue against an annual price is
 * a share of a different period, and the demo's per-token revenue is a tiny fraction of any list price.
 *
 * A share is at most 100 %. More customers than the sizing allows does not mean a share above 100 %: it
 * means an input of the sizing is too low, and the figure says which one instead of printing a share.
 */
import type { MarketSegmentInput, MarketSegmentSize } from './marketSizing.js';

/** The sizing inputs an impossible share can point at, from the widest to the narrowest. */
export type SizingInput = 'accounts' | 'serviceableShare' | 'adoptionRate';

/** A share of SAM or SOM observed in the ledger. */
export interface ObservedShare {
  /** What both sides count. */
  basis: 'accounts';
  /** Distinct customers of the segment with ledger rows in the window. */
  observed: number;
  /** The sized accounts the share is of (serviceable for SAM, obtainable for SOM; expected counts). */
  sized: number;
  /** observed ÷ sized, 0..1; null when nothing is sized or when the observation exceeds the sizing. */
  share: number | null;
  /**
   * Set when more customers are observed than the sizing allows: the input to raise, and observed ÷ sized
   * (null when the sizing is 0).
   */
  exceedsSizing: { input: SizingInput; ratio: number | null } | null;
}

/** The observed shares of one segment's SAM and SOM. */
export interface ObservedShares {
  ofSam: ObservedShare;
  ofSom: ObservedShare;
}

/** The widest sizing level the observation exceeds names the input that is too low. */
function inputToRaise(observed: number, segment: Pick<MarketSegmentInput, 'accounts'>, size: Pick<MarketSegmentSize, 'serviceableAccounts'>): SizingInput {
  if (observed > segment.accounts) return 'accounts';
  if (observed > size.serviceableAccounts) return 'serviceableShare';
  return 'adoptionRate';
}

function share(observed: number, sized: number, segment: Pick<MarketSegmentInput, 'accounts'>, size: Pick<MarketSegmentSize, 'serviceableAccounts'>): ObservedShare {
  if (observed > sized) return { basis: 'accounts', observed, sized, share: null, exceedsSizing: { input: inputToRaise(observed, segment, size), ratio: sized > 0 ? observed / sized : null } };
  return { basis: 'accounts', observed, sized, share: sized > 0 ? observed / sized : null, exceedsSizing: null };
}

/**
 * The observed shares of a segment's SAM and SOM in accounts.
 * @param observedCustomers distinct customers of the segment with ledger rows in the window
 */
export function observedShares(observedCustomers: number, segment: Pick<MarketSegmentInput, 'accounts'>, size: Pick<MarketSegmentSize, 'serviceableAccounts' | 'obtainableAccounts'>): ObservedShares {
  return {
    ofSam: share(observedCustomers, size.serviceableAccounts, segment, size),
    ofSom: share(observedCustomers, size.obtainableAccounts, segment, size),
  };
}
