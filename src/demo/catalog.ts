/**
 * The demo's world, as data: the markets an AI-model startup sells into, its plans and models, the partners
 * of its channels and the campaigns of its promotion channels. The simulation reads these tables; changing
 * the story means changing rows here, not code.
 */

/** Industries of the target market, with how well the model fits them and how much they pay. */
export const industries = [
  { id: 'fintech', name: 'Fintech', fit: 0.85, priceFactor: 1.4, growth: 0.22 },
  { id: 'healthcare', name: 'Healthcare', fit: 0.6, priceFactor: 1.5, growth: 0.18 },
  { id: 'education', name: 'Education', fit: 0.8, priceFactor: 0.7, growth: 0.3 },
  { id: 'ecommerce', name: 'E-commerce', fit: 0.9, priceFactor: 1.0, growth: 0.25 },
  { id: 'legal', name: 'Legal', fit: 0.7, priceFactor: 1.3, growth: 0.15 },
  { id: 'gaming', name: 'Gaming', fit: 0.75, priceFactor: 0.9, growth: 0.28 },
] as const;

/** Regions, with their share of demand and the months their business slows (holidays). */
export const regions = [
  { id: 'CN', name: 'China', weight: 0.35, slowMonths: [1] },
  { id: 'NA', name: 'North America', weight: 0.25, slowMonths: [11] },
  { id: 'EU', name: 'Europe', weight: 0.22, slowMonths: [7, 11] },
  { id: 'SEA', name: 'Southeast Asia', weight: 0.18, slowMonths: [3] },
] as const;

/** Company sizes: how many accounts exist, what they pay a year, how much they call the API. */
export const companySizes = [
  { id: 'smb', name: 'SMB', accounts: 20_000, annualPriceMicros: 1_200_000_000, weight: 0.6, dailyRequests: 0.5 },
  { id: 'mid', name: 'Mid-market', accounts: 3_000, annualPriceMicros: 12_000_000_000, weight: 0.3, dailyRequests: 1.2 },
  { id: 'enterprise', name: 'Enterprise', accounts: 400, annualPriceMicros: 120_000_000_000, weight: 0.1, dailyRequests: 3.2 },
] as const;

/** Price plans (per-1M-token prices in micro-units of the workspace currency). */
export const plans = [
  { id: 'plan_demo_starter', name: 'Starter', input: 4_000_000, output: 12_000_000, fee: 0, rpm: 60, forSize: 'smb' },
  { id: 'plan_demo_pro', name: 'Pro', input: 3_200_000, output: 9_600_000, fee: 49_000_000, rpm: 600, forSize: 'mid' },
  { id: 'plan_demo_enterprise', name: 'Enterprise', input: 2_400_000, output: 7_200_000, fee: 990_000_000, rpm: 3_000, forSize: 'enterprise' },
  { id: 'plan_demo_wholesale', name: 'Partner wholesale', input: 2_000_000, output: 6_000_000, fee: 0, rpm: 3_000, forSize: 'partner' },
] as const;

/**
 * The models the demo's customers call: only models the starter workspace really serves (the bundled model,
 * deployed by `ensureBundledModel`), so every model the ledger shows answers in the playground. Cost to serve
 * per one million tokens, latency per generated token, and how often each plan size uses the model.
 */
export const models = [
  { name: 'qudao-brown', costIn: 320_000, costOut: 960_000, msPerToken: 12, mix: { smb: 1, mid: 1, enterprise: 1 } },
] as const;

/**
 * Partner tiers as data. `requirements` and `benefits` use the keys of the tier schema
 * (src/partners/tier-rules.ts) and go through the same TierService as `POST /api/tiers`, so a misspelt key
 * fails the demo instead of reading back as "no requirements". Revenue and customer thresholds are stated for
 * scale 1 (what `npm start` writes, about 170,000 calls a year) and scaled with the demo, so the advice the
 * scorecards give is the same story at every scale: the strongest partners keep Platinum and Gold, some grow
 * into the tier above, some slip below theirs. Registered is the entry tier and states no requirements.
 */
export const tiers = [
  { id: 'tier_demo_registered', name: 'Registered', rank: 1, shareBps: 1_000, discountBps: 1_500, monthlyLeads: 0.6, certifiedStaff: 0, requirements: {}, benefits: { coMarketingFundsMicros: 0, support: 'community' } },
  { id: 'tier_demo_silver', name: 'Silver', rank: 2, shareBps: 1_500, discountBps: 2_000, monthlyLeads: 1.5, certifiedStaff: 2, requirements: { minMonthlyRevenueMicros: 1_000_000, minActiveCustomers: 4, minCertifiedStaff: 2 }, benefits: { coMarketingFundsMicros: 500_000_000, support: 'business hours' } },
  { id: 'tier_demo_gold', name: 'Gold', rank: 3, shareBps: 2_000, discountBps: 2_500, monthlyLeads: 3.5, certifiedStaff: 5, requirements: { minMonthlyRevenueMicros: 8_000_000, minActiveCustomers: 30, minCertifiedStaff: 5 }, benefits: { coMarketingFundsMicros: 2_000_000_000, support: 'named engineer' } },
  { id: 'tier_demo_platinum', name: 'Platinum', rank: 4, shareBps: 2_500, discountBps: 3_000, monthlyLeads: 7, certifiedStaff: 10, requirements: { minMonthlyRevenueMicros: 25_000_000, minActiveCustomers: 50, minCertifiedStaff: 10 }, benefits: { coMarketingFundsMicros: 8_000_000_000, support: '24/7' } },
] as const;

/**
 * Twenty partners: name, partner type (which is also the type of the channel the partner owns), tier rank,
 * region, and the industries it sells into.
 */
export const partners = [
  { name: 'Lumen Cloud Marketplace', type: 'marketplace', rank: 4, region: 'NA', industries: ['ecommerce', 'gaming', 'fintech'] },
  { name: 'Dragonfly Systems', type: 'system_integrator', rank: 4, region: 'CN', industries: ['fintech', 'healthcare'] },
  { name: 'Harbor Resale Group', type: 'reseller', rank: 3, region: 'EU', industries: ['legal', 'fintech'] },
  { name: 'Kite Software', type: 'oem', rank: 3, region: 'NA', industries: ['education', 'ecommerce'] },
  { name: 'Nanhai Digital', type: 'reseller', rank: 3, region: 'CN', industries: ['ecommerce', 'education'] },
  { name: 'Orchid AI Market', type: 'marketplace', rank: 3, region: 'SEA', industries: ['ecommerce', 'gaming'] },
  { name: 'Polaris Consulting', type: 'system_integrator', rank: 2, region: 'EU', industries: ['healthcare', 'legal'] },
  { name: 'Quill Docs', type: 'oem', rank: 2, region: 'EU', industries: ['legal', 'education'] },
  { name: 'Redwood Partners', type: 'reseller', rank: 2, region: 'NA', industries: ['fintech', 'healthcare'] },
  { name: 'Saffron Labs', type: 'referral', rank: 2, region: 'SEA', industries: ['education', 'gaming'] },
  { name: 'Tidewater Dev Community', type: 'referral', rank: 2, region: 'NA', industries: ['gaming', 'ecommerce'] },
  { name: 'Umbra Security', type: 'oem', rank: 2, region: 'CN', industries: ['fintech'] },
  { name: 'Vega Integrators', type: 'system_integrator', rank: 1, region: 'SEA', industries: ['ecommerce', 'healthcare'] },
  { name: 'Willow EdTech Alliance', type: 'referral', rank: 1, region: 'CN', industries: ['education'] },
  { name: 'Xiangyun Tech', type: 'system_integrator', rank: 1, region: 'CN', industries: ['healthcare', 'legal'] },
  { name: 'Yellowstone Resellers', type: 'reseller', rank: 1, region: 'NA', industries: ['ecommerce'] },
  { name: 'Zephyr Creators', type: 'referral', rank: 1, region: 'EU', industries: ['gaming', 'education'] },
  { name: 'Atlas Legal Tech', type: 'referral', rank: 1, region: 'EU', industries: ['legal'] },
  { name: 'Bamboo Commerce', type: 'reseller', rank: 1, region: 'SEA', industries: ['ecommerce'] },
  { name: 'Cobalt Health IT', type: 'referral', rank: 1, region: 'NA', industries: ['healthcare'] },
] as const;

/**
 * Promotion channels (推广渠道): what a visitor costs, how often one signs up, and the cost curve's
 * diminishing returns (visitors ∝ spend^elasticity).
 */
export const promotionChannels = [
  { id: 'search_ads', costPerVisitorMicros: 78_125, conversion: 0.012, elasticity: 0.8 },
  { id: 'social', costPerVisitorMicros: 37_500, conversion: 0.006, elasticity: 0.75 },
  { id: 'content', costPerVisitorMicros: 21_875, conversion: 0.01, elasticity: 0.85 },
  { id: 'events', costPerVisitorMicros: 375_000, conversion: 0.04, elasticity: 0.7 },
  { id: 'community', costPerVisitorMicros: 15_625, conversion: 0.015, elasticity: 0.8 },
  { id: 'marketplace', costPerVisitorMicros: 46_875, conversion: 0.02, elasticity: 0.8 },
  { id: 'co_marketing', costPerVisitorMicros: 93_750, conversion: 0.03, elasticity: 0.75 },
] as const;

/** Campaigns (营销活动): promotion channel, target industry and region, month offset and length, daily budget. */
export const campaigns = [
  { name: 'Launch: search', channel: 'search_ads', industry: 'ecommerce', region: 'NA', startMonth: 0, months: 3, dailyMicros: 12_500_000 },
  { name: 'Developer content series', channel: 'content', industry: 'gaming', region: 'NA', startMonth: 0, months: 12, dailyMicros: 1_875_000 },
  { name: 'Fintech summit Shanghai', channel: 'events', industry: 'fintech', region: 'CN', startMonth: 1, months: 1, dailyMicros: 28_125_000 },
  { name: 'Social: builders', channel: 'social', industry: 'education', region: 'SEA', startMonth: 2, months: 4, dailyMicros: 4_687_500 },
  { name: 'Hackathon community', channel: 'community', industry: 'gaming', region: 'EU', startMonth: 3, months: 2, dailyMicros: 2_500_000 },
  { name: 'Marketplace listing: Lumen', channel: 'marketplace', industry: 'ecommerce', region: 'NA', startMonth: 2, months: 10, dailyMicros: 1_562_500, partner: 'Lumen Cloud Marketplace' },
  { name: 'Co-marketing: Dragonfly fintech', channel: 'co_marketing', industry: 'fintech', region: 'CN', startMonth: 4, months: 3, dailyMicros: 6_250_000, partner: 'Dragonfly Systems' },
  { name: 'Legal AI webinar series', channel: 'events', industry: 'legal', region: 'EU', startMonth: 5, months: 2, dailyMicros: 7_812_500 },
  { name: 'Search: healthcare', channel: 'search_ads', industry: 'healthcare', region: 'NA', startMonth: 6, months: 3, dailyMicros: 9_375_000 },
  { name: 'Co-marketing: Harbor EU', channel: 'co_marketing', industry: 'legal', region: 'EU', startMonth: 7, months: 2, dailyMicros: 4_687_500, partner: 'Harbor Resale Group' },
  { name: 'Back to school', channel: 'social', industry: 'education', region: 'CN', startMonth: 7, months: 2, dailyMicros: 6_250_000 },
  { name: 'Open model community', channel: 'community', industry: 'ecommerce', region: 'SEA', startMonth: 8, months: 4, dailyMicros: 2_187_500 },
  { name: 'Marketplace listing: Orchid', channel: 'marketplace', industry: 'gaming', region: 'SEA', startMonth: 8, months: 4, dailyMicros: 1_250_000, partner: 'Orchid AI Market' },
  { name: 'Year-end search push', channel: 'search_ads', industry: 'fintech', region: 'EU', startMonth: 10, months: 2, dailyMicros: 10_937_500 },
] as const;

/** Monthly churn hazard of a customer by the type of channel it came through: partners hold on tighter. */
export const churnByChannelType: Readonly<Record<string, number>> = {
  direct: 0.07, reseller: 0.035, referral: 0.05, marketplace: 0.06, oem: 0.025, system_integrator: 0.03,
};

/** Syllables for company names. */
export const nameParts = {
  first: ['Nova', 'Blue', 'Silver', 'Jade', 'Iron', 'Bright', 'Swift', 'Cedar', 'Crimson', 'Golden', 'Quiet', 'North', 'Summit', 'Pixel', 'Atlas', 'Lotus', 'Maple', 'Echo', 'Zen', 'Orbit'],
  second: ['Leaf', 'Bridge', 'Stone', 'River', 'Wave', 'Forge', 'Field', 'Harbor', 'Peak', 'Loop', 'Gate', 'Grove', 'Spark', 'Path', 'Cloud', 'Works', 'Mind', 'Line', 'Nest', 'Point'],
  suffix: ['Ltd', 'Inc', 'GmbH', 'Co', 'Labs', 'Group', 'Tech', 'AI'],
} as const;
