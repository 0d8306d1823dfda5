import { parseOptions } from '../../demo/options';

/** drill.sh's flags: both disasters are accepted, anything else is refused by name. */
describe('drill.sh options', () => {
  it('accepts --disaster dropped-collection and cluster-loss, from the flag or DRILL_DISASTER', () => {
    expect(parseOptions(['--disaster', 'dropped-collection'], {}).disaster).toBe('dropped-collection');
    expect(parseOptions(['--disaster', 'cluster-loss'], {}).disaster).toBe('cluster-loss');
    expect(parseOptions([], { DRILL_DISASTER: 'dropped-collection' }).disaster).toBe('dropped-collection');
    expect(parseOptions([], {}).disaster).toBeUndefined();
  });

  it('refuses an unknown disaster naming the flag and the choices', () => {
    expect(() => parseOptions(['--disaster', 'flood'], {})).toThrow(
      '--disaster: must be cluster-loss or dropped-collection',
    );
  });
});
