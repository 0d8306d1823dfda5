import { parseMetadataUri, parseStorageUri } from '../../src/milvus/metadata-uri';

/** Both forms of DescribeSnapshot.s3_location, read as snapshotio/storage/path.go parseForeignURI reads them. */
describe('parseMetadataUri', () => {
  it('reads the newer URI form: endpoint, bucket, key, bundle root and ids', () => {
    expect(parseMetadataUri('minio://127.0.0.1:9000/a-bucket/files/snapshots/11/metadata/22.json')).toEqual({
      ok: true,
      scheme: 'minio',
      endpoint: '127.0.0.1:9000',
      bucket: 'a-bucket',
      key: 'files/snapshots/11/metadata/22.json',
      root: 'files',
      collectionId: '11',
      snapshotId: '22',
    });
  });

  it('reads the older object-key form (the cluster bucket) and bucket-hosted s3:// URIs', () => {
    expect(parseMetadataUri('files/snapshots/11/metadata/22.json')).toMatchObject({
      ok: true,
      scheme: '',
      bucket: '',
      root: 'files',
    });
    expect(parseMetadataUri('s3://backup/offsite/exports/u/snapshots/1/metadata/2.json')).toMatchObject({
      ok: true,
      endpoint: '',
      bucket: 'backup',
      root: 'offsite/exports/u',
    });
  });

  it.each([
    [
      'minio://h:9000/b/files/x.json',
      /must end with snapshots\/\{collectionID\}\/metadata\/\{snapshotID\}\.json/,
    ],
    ['files/snapshots/0/metadata/2.json', /must end with/],
    ['files/../snapshots/1/metadata/2.json', /path traversal/],
    ['minio://user:pw@h:9000/b/snapshots/1/metadata/2.json', /must not embed credentials/],
    ['ftp://h/b/snapshots/1/metadata/2.json', /scheme "ftp" is not supported/],
    ['minio://h:9000/b/snapshots/1/metadata/2.json?x=1', /query parameters or fragments/],
    ['', /empty/],
  ])('refuses %s', (uri, problem) => {
    const parsed = parseMetadataUri(uri);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });

  it('a bundle root may name just the bucket (ParseForeignRootURI)', () => {
    expect(parseStorageUri('minio://h:9000/backup', true)).toMatchObject({
      ok: true,
      bucket: 'backup',
      key: '',
    });
    expect(parseStorageUri('minio://h:9000/backup').ok).toBe(false);
  });
});
