import { QudaoError } from '../errors/index.js';

/** Failed sign-ins per e-mail before the caller must wait, and the window they count in. */
const MAX_FAILED_LOGINS = 5;
const FAILED_LOGIN_WINDOW_MS = 15 * 60 * 1000;

/**
 * Recent failed sign-ins by e-mail (the admin login and the partner portal's each keep one). Keyed by the
 * e-mail as typed, whether or not such a user exists, so the throttle itself tells nobody which e-mails
 * exist. In-process: behind several replicas each counts its own, which still bounds guessing to
 * replicas × 5 per window.
 */
export class LoginThrottle {
  private readonly failed = new Map<string, { count: number; firstAtMs: number }>();

  /** QD_RATE_LIMITED (before any scrypt work) while an e-mail has too many recent failures. */
  refuseWhileThrottled(key: string, now = Date.now()): void {
    const f = this.failed.get(key);
    if (!f) return;
    const leftMs = f.firstAtMs + FAILED_LOGIN_WINDOW_MS - now;
    if (leftMs <= 0) this.failed.delete(key);
    else if (f.count >= MAX_FAILED_LOGINS) {
      const retryAfter = String(Math.ceil(leftMs / 1000));
      throw new QudaoError('QD_RATE_LIMITED', `too many failed sign-ins for this e-mail; retry in ${retryAfter} s`, { headers: { 'retry-after': retryAfter } });
    }
  }

  /** Counts one failure (and forgets expired ones when the map grows large). */
  countFailure(key: string, now = Date.now()): void {
    if (this.failed.size > 10_000) {
      for (const [k, f] of this.failed) if (f.firstAtMs + FAILED_LOGIN_WINDOW_MS <= now) this.failed.delete(k);
    }
    const f = this.failed.get(key);
    if (f) f.count++;
    else this.failed.set(key, { count: 1, firstAtMs: now });
  }

  /** Forgets an e-mail's failures after a successful sign-in. */
  succeeded(key: string): void {
    this.failed.delete(key);
  }
}
