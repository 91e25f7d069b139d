/** Money on the wire is integer micro-units; people read and type whole currency units. */
export const MICROS = 1_000_000;

/** Micro-units → currency units. */
export const fromMicros = (micros: number): number => micros / MICROS;

/** Currency units typed by a person → integer micro-units. */
export const toMicros = (units: number): number => Math.round(units * MICROS);
