import type { ComponentType } from 'react';
import type { MessageKey } from './i18n/en.js';
import { AuditPage } from './pages/AuditPage.js';
import { BillingPage } from './pages/BillingPage.js';
import { ChannelsPage } from './pages/ChannelsPage.js';
import { EcosystemPage } from './pages/EcosystemPage.js';
import { KeysPage } from './pages/KeysPage.js';
import { MarketPage } from './pages/MarketPage.js';
import { ModelsPage } from './pages/ModelsPage.js';
import { OverviewPage } from './pages/OverviewPage.js';
import { PartnersPage } from './pages/PartnersPage.js';
import { PlaygroundPage } from './pages/PlaygroundPage.js';
import { PortalPage } from './pages/PortalPage.js';
import { PromotionPage } from './pages/PromotionPage.js';
import { TeamPage } from './pages/TeamPage.js';

/** Who sees a page: administrators the whole workspace, partner users only their portal. */
export type Audience = 'admin' | 'partner';

/** One page of the dashboard: its route, navigation label and component. */
export interface PageEntry {
  route: string;
  label: MessageKey;
  audience: readonly Audience[];
  component: ComponentType;
}

/** The page table, in navigation order. */
export const pages: readonly PageEntry[] = [
  { route: 'overview', label: 'nav.overview', audience: ['admin'], component: OverviewPage },
  { route: 'channels', label: 'nav.channels', audience: ['admin'], component: ChannelsPage },
  { route: 'partners', label: 'nav.partners', audience: ['admin'], component: PartnersPage },
  { route: 'billing', label: 'nav.billing', audience: ['admin'], component: BillingPage },
  { route: 'market', label: 'nav.market', audience: ['admin'], component: MarketPage },
  { route: 'promotion', label: 'nav.promotion', audience: ['admin'], component: PromotionPage },
  { route: 'ecosystem', label: 'nav.ecosystem', audience: ['admin'], component: EcosystemPage },
  { route: 'models', label: 'nav.models', audience: ['admin'], component: ModelsPage },
  { route: 'keys', label: 'nav.keys', audience: ['admin'], component: KeysPage },
  { route: 'team', label: 'nav.team', audience: ['admin'], component: TeamPage },
  { route: 'audit', label: 'nav.audit', audience: ['admin'], component: AuditPage },
  { route: 'portal', label: 'nav.portal', audience: ['partner'], component: PortalPage },
  { route: 'playground', label: 'nav.playground', audience: ['admin', 'partner'], component: PlaygroundPage },
];

/** The pages a session may open. */
export function pagesFor(audience: Audience): PageEntry[] {
  return pages.filter((p) => p.audience.includes(audience));
}
