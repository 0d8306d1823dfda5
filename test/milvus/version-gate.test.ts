import { majorVersion, snapshotVersionProblem } from '../../src/milvus/sdk-gateway';

describe('version gate (snapshots need Milvus 3.0)', () => {
  it.each([
    ['v2.3.5', 2],
    ['v2.3.5-lite', 2],
    ['2.6.0-rc1', 2],
    ['v3.0.0', 3],
    ['v3.0.0-standin', 3],
    ['v10.1.2', 10],
    ['custom-build', undefined],
    ['', undefined],
  ])('major version of %j is %j', (version, major) => {
    expect(majorVersion(version)).toBe(major);
  });

  it('names the version found, the address and the version needed for a 2.x server', () => {
    expect(snapshotVersionProblem('v2.6.4', 'milvus:19530')).toBe(
      'Milvus at milvus:19530 is v2.6.4; snapshots need Milvus 3.0 or later',
    );
  });

  it('lets 3.x and unparsable versions through (their own answers will tell)', () => {
    expect(snapshotVersionProblem('v3.0.0', 'm:1')).toBeUndefined();
    expect(snapshotVersionProblem('v3.1.0-beta', 'm:1')).toBeUndefined();
    expect(snapshotVersionProblem('nightly', 'm:1')).toBeUndefined();
  });
});
