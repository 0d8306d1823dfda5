import { nextPollIntervalMs } from '../../../src/activities/wait-for-job';

/** The poll interval: the base at first, then 10% of the time waited, never above the maximum. */
describe('nextPollIntervalMs', () => {
  it.each([
    [0, 5_000],
    [30_000, 5_000],
    [50_000, 5_000],
    [120_000, 12_000],
    [600_000, 60_000],
    [24 * 3600_000, 60_000],
  ])('after %d ms of waiting polls every %d ms (base 5 s, max 60 s)', (waited, expected) => {
    expect(nextPollIntervalMs(waited, 5_000, 60_000)).toBe(expected);
  });

  it('never goes below a base that is larger than the maximum', () => {
    expect(nextPollIntervalMs(3600_000, 90_000, 60_000)).toBe(90_000);
  });
});
