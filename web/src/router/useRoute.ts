import { useEffect, useState } from 'react';

/**
 * A tiny hash router: `#/partners` → "partners". Hash routes need nothing from the server and survive
 * a reload; the server's single-page fallback still serves index.html for any other path.
 */
export function useRoute(): string {
  const read = (): string => window.location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Navigates to a route. */
export function navigate(route: string): void {
  window.location.hash = `#/${route}`;
}
