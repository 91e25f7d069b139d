import { describe, expect, it } from 'vitest';
import { attributeMarkov } from './markovAttribution.js';
import type { ConversionPath } from './attributionPaths.js';

const path = (channels: string[], converted: boolean, revenueMicros = 0): ConversionPath => ({
  touchpoints: channels.map((channelId) => ({ channelId })),
  converted,
  revenueMicros,
});

describe('attributeMarkov', () => {
  // Classic three-path example of the removal-effect tutorials that follow Anderl et al. (2016)
  // (e.g. the ChannelAttribution / "Markov chain attribution modeling" walkthroughs):
  // C1 > C2 > C3 > conversion, C1 > null, C2 > C3 > null.
  // P(conv) = 2/3·(1/2·1·1/2) + 1/3·(1·1/2) = 1/3. Removing C1: 1/3·1/2 = 1/6 → RE 0.5;
  // removing C2 or C3 blocks every conversion → RE 1. Shares 0.5/2.5, 1/2.5, 1/2.5 = 0.2, 0.4, 0.4.
  it('reproduces the classic three-path example', () => {
    const result = attributeMarkov([path(['C1', 'C2', 'C3'], true, 1_000_000), path(['C1'], false), path(['C2', 'C3'], false)]);
    expect(result.conversionProbability).toBeCloseTo(1 / 3, 12);
    expect(result.removalEffects.map((e) => e.removalEffect)).toEqual([0.5, 1, 1].map((x) => expect.closeTo(x, 12)));
    expect(result.credits.map((c) => c.conversions)).toEqual([0.2, 0.4, 0.4].map((x) => expect.closeTo(x, 12)));
    expect(result.credits.map((c) => c.revenueMicros)).toEqual([200_000, 400_000, 400_000]);
  });

  // Published worked example: Puzyrov, S. (2019), "Markov Chain Attribution – Simple Explanation
  // of Removal Effect" (serhiipuzyrov.com): google ads (2 conversions), mailing (1), google ads >
  // mailing (1), google ads (0). Published: P(conv) = 0.8, removal effects 0.75 (google ads) and
  // 0.5 (mailing), i.e. 60% / 40% of 4 conversions = 2.4 and 1.6.
  it('reproduces the Puzyrov (2019) removal-effect example', () => {
    const paths = [
      path(['google ads'], true, 10), path(['google ads'], true, 10), path(['mailing'], true, 10),
      path(['google ads', 'mailing'], true, 3), path(['google ads'], false),
    ];
    const result = attributeMarkov(paths);
    expect(result.conversionProbability).toBeCloseTo(0.8, 12);
    expect(result.removalEffects[0]!.removalEffect).toBeCloseTo(0.75, 12);
    expect(result.removalEffects[1]!.removalEffect).toBeCloseTo(0.5, 12);
    expect(result.credits[0]!.conversions).toBeCloseTo(2.4, 12);
    expect(result.credits[1]!.conversions).toBeCloseTo(1.6, 12);
    // Revenue 33 micro-units split 60/40 = 19.8 / 13.2 → largest remainder → 20 / 13.
    expect(result.credits.map((c) => c.revenueMicros)).toEqual([20, 13]);
  });

  it('handles loops and repeated channels, and no conversions at all', () => {
    const looped = attributeMarkov([path(['A', 'B', 'A', 'A'], true, 7), path(['B'], false)]);
    expect(looped.credits.reduce((s, c) => s + c.revenueMicros, 0)).toBe(7);
    expect(looped.credits.reduce((s, c) => s + c.conversions, 0)).toBeCloseTo(1, 12);
    const none = attributeMarkov([path(['A'], false)]);
    expect(none.conversionProbability).toBe(0);
    expect(none.credits).toEqual([{ channelId: 'A', conversions: 0, revenueMicros: 0 }]);
  });
});
