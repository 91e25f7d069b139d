import type { ReactNode } from 'react';

/** A titled panel of a page. `wide` spans the whole grid row. */
export function Card({ title, children, wide = false, actions, testId }: { title: string; children: ReactNode; wide?: boolean; actions?: ReactNode; testId?: string }) {
  return (
    <section className={wide ? 'card wide' : 'card'} data-testid={testId}>
      <header className="card-header">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
