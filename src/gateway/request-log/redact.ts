import { createRequire } from 'node:module';

// libphonenumber's full metadata is loaded on the first text redacted, not at start: it costs an idle server
// ~9 MB of RSS (measured with `require` alone) that only deployments with a request log use.
const require = createRequire(import.meta.url);
let phones: typeof import('libphonenumber-js/max') | undefined;
const findPhoneNumbersInText = (text: string) => (phones ??= require('libphonenumber-js/max') as typeof import('libphonenumber-js/max')).findPhoneNumbersInText(text);
import { z } from 'zod';

/**
 * Redaction of personal data from request text before it is stored (request logs): e-mail addresses, phone
 * numbers in international form, and payment card numbers. Each is replaced by a marker that says what was
 * there, so a log stays readable for debugging without holding the data.
 *
 * - E-mail: the same definition `/api` validates e-mail fields with (zod's), unanchored.
 * - Phones: libphonenumber-js (Google's libphonenumber metadata, `max` set: a number must be VALID for its
 *   country, not only well-formed), for numbers written with `+` or the `00` international prefix. National
 *   forms without a country code are left alone: without knowing the country they cannot be told from order
 *   numbers or dates.
 * - Cards: 13–19 digits, optionally grouped by single spaces or dashes, that pass the Luhn check (ISO/IEC
 *   7812-1) — so an order number or an invoice number of the same length is kept unless it happens to be
 *   Luhn-valid (1 in 10 random numbers is; that is the price of not missing a card).
 */

/** What replaces each kind of personal data. */
export const REDACTION_MARKERS = { email: '[EMAIL]', phone: '[PHONE]', card: '[CARD]' } as const;

const EMAIL = new RegExp(z.regexes.email.source.replace(/^\^/, '').replace(/\$$/, ''), 'g');

/** A run of 13–19 digits, optionally separated by single spaces or dashes, not inside a longer number. */
const CARD_CANDIDATE = /(?<![\d.,/-])\d(?:[ -]?\d){12,18}(?![\d/]|[.,-]\d)/g;

/** Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

function redactCards(text: string): string {
  return text.replace(CARD_CANDIDATE, (match) => {
    const digits = match.replace(/[ -]/g, '');
    // Mixed separators within one number ("4111-1111 1111") are still a card; a run of zeros is not.
    return digits.length >= 13 && digits.length <= 19 && !/^0+$/.test(digits) && luhnValid(digits) ? REDACTION_MARKERS.card : match;
  });
}

function redactPhones(text: string): string {
  // `00` is the international prefix in most of the world: read "0044 …" as "+44 …". The shadow text has the
  // same length as the original, so the library's offsets apply to both.
  // Only a "00" that starts a number (no digit or "+" before it, separators aside) is a prefix.
  const shadow = text.replace(/(?<![\d+][\s().-]*)00(?=[1-9])/g, ' +');
  const found = findPhoneNumbersInText(shadow);
  if (found.length === 0) return text;
  let out = '';
  let from = 0;
  for (const f of found) {
    // Where the shadow reads " +", the original reads "00": the marker covers both zeros.
    const start = shadow[f.startsAt] === '+' && text.startsWith('00', f.startsAt - 1) ? f.startsAt - 1 : f.startsAt;
    out += text.slice(from, start) + REDACTION_MARKERS.phone;
    from = f.endsAt;
  }
  return out + text.slice(from);
}

/** The text with e-mail addresses, phone numbers and card numbers replaced by {@link REDACTION_MARKERS}. */
export function redactPersonalData(text: string): string {
  if (text.length === 0) return text;
  // E-mail first (an address may hold digits), then cards (long digit runs), then phones in what is left.
  return redactPhones(redactCards(text.replace(EMAIL, REDACTION_MARKERS.email)));
}
