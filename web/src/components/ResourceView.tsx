import type { ReactNode } from 'react';
import type { Resource } from '../api/useResource.js';
import { useI18n } from '../i18n/context.js';
import { ErrorMessage } from './ErrorMessage.js';
import { NotAvailable } from './NotAvailable.js';

/** Renders a {@link Resource}: a loading line, "not available yet", the error, or `children(data)`. */
export function ResourceView<T>({ resource, path, children }: { resource: Resource<T>; path: string; children: (data: T) => ReactNode }) {
  const { t } = useI18n();
  switch (resource.status) {
    case 'loading':
      return <p className="muted">{t('common.loading')}</p>;
    case 'unavailable':
      return <NotAvailable path={path} />;
    case 'error':
      return <ErrorMessage message={resource.error} />;
    case 'ready':
      return <>{children(resource.data)}</>;
  }
}
