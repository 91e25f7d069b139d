import type { CreateChannelTypeInput } from './requests.js';

/**
 * The channel types every workspace starts with (渠道设计). They are rows of `channel_types`, so a
 * workspace can add its own; nothing in the code branches on these ids.
 */
export const defaultChannelTypes: readonly Required<CreateChannelTypeInput>[] = [
  { id: 'direct', name: 'Direct', description: 'Customers buy from us: self-serve sign-up and our own sales team.', defaultMarginKind: 'none' },
  { id: 'reseller', name: 'Reseller', description: 'A partner buys at a wholesale discount and resells under its own contract.', defaultMarginKind: 'wholesale_discount' },
  { id: 'referral', name: 'Referral', description: 'A partner refers customers who buy from us; the partner earns a revenue share.', defaultMarginKind: 'revenue_share' },
  { id: 'marketplace', name: 'Marketplace', description: 'Listed on a cloud or model marketplace that bills the customer and keeps a fee.', defaultMarginKind: 'revenue_share' },
  { id: 'oem', name: 'OEM / embedded', description: 'The model is embedded in a partner product; the partner pays per use at a discount.', defaultMarginKind: 'wholesale_discount' },
  { id: 'system_integrator', name: 'System integrator', description: 'An integrator builds solutions on the model for enterprise customers and earns a revenue share.', defaultMarginKind: 'revenue_share' },
];
