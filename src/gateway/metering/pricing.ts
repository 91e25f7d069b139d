/**
 * Money for a request, in integer micro-units: tokens times a per-1M-token rate, rounded up to the next
 * micro-unit so that many tiny requests never add up to less than the same tokens in one request would.
 */
export function priceOfTokens(promptTokens: number, completionTokens: number, inputPer1mMicros: number, outputPer1mMicros: number): number {
  const scaled = promptTokens * inputPer1mMicros + completionTokens * outputPer1mMicros;
  return Math.ceil(scaled / 1_000_000);
}
