import { useState, type ReactNode } from 'react';
import { portalRoutes } from '../../../src/shared/contract/portal.js';
import { teamRoutes } from '../../../src/shared/contract/team.js';
import { useI18n } from '../i18n/context.js';
import type { PageEntry } from '../pages.js';
import { useSession } from '../session/context.js';
import { LanguageSwitch } from './LanguageSwitch.js';

/**
 * Header (brand, language switch, sign out) and a side navigation that becomes a menu button on a
 * phone width (CSS breakpoint at 820 px, see styles.css).
 */
export function Layout({ entries, current, children }: { entries: readonly PageEntry[]; current: string; children: ReactNode }) {
  const { t, tEnum } = useI18n();
  const { session, signOut, client } = useSession();
  // A session (partner, or admin by e-mail and password) also ends on the server; a pasted admin token simply leaves the tab.
  const leave = () => {
    if (session?.kind === 'partner') void client.call(portalRoutes.logout).catch(() => undefined);
    if (session?.kind === 'admin' && session.token.startsWith('qd_as_')) void client.call(teamRoutes.logout).catch(() => undefined);
    signOut();
  };
  const [open, setOpen] = useState(false);
  return (
    <div className={open ? 'shell nav-open' : 'shell'}>
      <header className="topbar">
        <button type="button" className="menu-button" aria-label={t('header.menu')} aria-expanded={open} onClick={() => setOpen(!open)} data-testid="menu-button">
          ☰
        </button>
        <span className="brand">Qudao 渠道</span>
        <span className="who muted">{session?.kind === 'partner' ? t('header.partnerUser', { email: session.email }) : session?.email && session.role ? t('header.adminUser', { email: session.email, role: tEnum('role', session.role) }) : t('header.admin')}</span>
        <LanguageSwitch />
        <button type="button" className="link-button" onClick={leave} data-testid="sign-out">
          {t('header.signOut')}
        </button>
      </header>
      <nav className="sidenav" aria-label={t('header.navigation')}>
        {entries.map((e) => (
          <a key={e.route} href={`#/${e.route}`} className={e.route === current ? 'active' : undefined} onClick={() => setOpen(false)} data-testid={`nav-${e.route}`}>
            {t(e.label)}
          </a>
        ))}
      </nav>
      <main className="content">{children}</main>
    </div>
  );
}
