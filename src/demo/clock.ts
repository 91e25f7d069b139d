const DAY_MS = 86_400_000;

/**
 * The demo's calendar: `months` whole UTC months of history before the month of `until`, plus the days of
 * that month before `until` (UTC midnight, exclusive). Day indexes count from the first day of the history.
 */
export class DemoClock {
  /** First day of the history, UTC midnight. */
  readonly start: Date;
  /** Number of simulated days. */
  readonly days: number;

  constructor(until: Date, months: number) {
    const end = Date.UTC(until.getUTCFullYear(), until.getUTCMonth(), until.getUTCDate());
    this.start = new Date(Date.UTC(until.getUTCFullYear(), until.getUTCMonth() - months, 1));
    this.days = Math.round((end - this.start.getTime()) / DAY_MS);
  }

  /** The instant `seconds` after midnight of day `day`. */
  date(day: number, seconds = 0): Date {
    return new Date(this.start.getTime() + day * DAY_MS + Math.floor(seconds * 1000));
  }

  /** Day index of the first day of the month `offset` months after the start. */
  dayOfMonthStart(offset: number): number {
    const t = Date.UTC(this.start.getUTCFullYear(), this.start.getUTCMonth() + offset, 1);
    return Math.round((t - this.start.getTime()) / DAY_MS);
  }

  /** Calendar month (1–12) of a day. */
  calendarMonth(day: number): number {
    return this.date(day).getUTCMonth() + 1;
  }

  /** True on Saturdays and Sundays. */
  weekend(day: number): boolean {
    const d = this.date(day).getUTCDay();
    return d === 0 || d === 6;
  }

  /** True on the first day of a calendar month. */
  monthStarts(day: number): boolean {
    return this.date(day).getUTCDate() === 1;
  }
}
