import { useI18n } from './i18n/context.js';
import { Layout } from './components/Layout.js';
import { pagesFor } from './pages.js';
import { LoginPage } from './pages/LoginPage.js';
import { useRoute } from './router/useRoute.js';
import { useSession } from './session/context.js';

/** Login when signed out; otherwise the pages the session may see, with the first as the home page. */
export function App() {
  const { session } = useSession();
  const { t } = useI18n();
  const route = useRoute();
  if (!session) return <LoginPage />;
  const entries = pagesFor(session.kind);
  const page = entries.find((e) => e.route === route) ?? entries[0]!;
  const Page = page.component;
  return (
    <Layout entries={entries} current={page.route}>
      <h1 className="page-title" data-testid="page-title">
        {t(page.label)}
      </h1>
      <Page />
    </Layout>
  );
}
