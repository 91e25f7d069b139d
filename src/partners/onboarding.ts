import { z } from 'zod';

/**
 * Facts about a partner that tick onboarding items by themselves, so the checklist reflects what happened
 * rather than what someone remembered to click.
 */
export interface OnboardingFacts {
  hasAgreement: boolean;
  hasPortalUser: boolean;
  hasChannel: boolean;
  hasKey: boolean;
  hasUsage: boolean;
}

/** A checklist item as stored in `partners.onboarding`. */
export const onboardingItemSchema = z.object({
  id: z.string().regex(/^[a-z0-9_]{1,48}$/, 'use lower-case letters, digits and _'),
  title: z.string().min(1).max(200),
  /** When set, the item is done exactly when this fact holds; it cannot be ticked by hand. */
  auto: z.enum(['hasAgreement', 'hasPortalUser', 'hasChannel', 'hasKey', 'hasUsage']).optional(),
  done: z.boolean().default(false),
  doneAt: z.string().nullable().default(null),
});

/** A stored checklist item. */
export type OnboardingItem = z.infer<typeof onboardingItemSchema>;

/** The checklist every new partner starts with (data; edit freely). */
export const defaultOnboarding: readonly OnboardingItem[] = [
  { id: 'agreement_signed', title: 'Agreement signed', auto: 'hasAgreement', done: false, doneAt: null },
  { id: 'portal_access', title: 'Partner portal user created', auto: 'hasPortalUser', done: false, doneAt: null },
  { id: 'channel_set_up', title: 'Channel set up with a price plan', auto: 'hasChannel', done: false, doneAt: null },
  { id: 'sales_training', title: 'Sales and technical training completed', done: false, doneAt: null },
  { id: 'first_key', title: 'First API key issued to a customer', auto: 'hasKey', done: false, doneAt: null },
  { id: 'first_usage', title: 'First customer traffic on the gateway', auto: 'hasUsage', done: false, doneAt: null },
  { id: 'co_marketing_plan', title: 'Co-marketing plan agreed', done: false, doneAt: null },
];

/** A checklist with its progress. */
export interface OnboardingProgress {
  items: OnboardingItem[];
  done: number;
  total: number;
  /** Whole per cent done (rounded down, so 100 means every item). */
  percent: number;
}

/** Applies the facts to the automatic items and counts progress. */
export function onboardingProgress(items: readonly OnboardingItem[], facts: OnboardingFacts): OnboardingProgress {
  const resolved = items.map((i) => (i.auto ? { ...i, done: facts[i.auto] } : { ...i }));
  const done = resolved.filter((i) => i.done).length;
  return { items: resolved, done, total: resolved.length, percent: resolved.length ? Math.floor((done * 100) / resolved.length) : 100 };
}
