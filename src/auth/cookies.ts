/**
 * Reading one cookie from a `Cookie` request header (RFC 6265 §5.4: `name=value` pairs joined by `; `).
 * Values are percent-decoded, as Qudao's own `Set-Cookie` headers encode them. A value that is not valid
 * percent-encoding (`%ZZ`, a truncated `%E0%A4%A`) was not set by Qudao: it reads as absent, so a stale or
 * forged cookie never fails a request by itself; whoever needs the cookie answers as they do without it.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const raw = part.slice(eq + 1).trim();
    if (raw === '') continue;
    const value = safePercentDecode(raw);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** `decodeURIComponent`, or undefined where the text is not valid percent-encoded UTF-8. */
export function safePercentDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
