import { unknownNameFailure } from './clusters';
import type { ExternalSpec } from './gateway';

/** Where exports go and with which credentials, resolved inside the worker from a profile's name. */
export interface StorageProfile {
  name: string;
  /** Root of the export bundles (Milvus's `target_s3_path`). */
  targetS3Path: string;
  /** Milvus's `external_spec`; absent = the cluster's own storage credentials. Secret: never returned or logged. */
  externalSpec?: ExternalSpec;
}

export interface StorageProfiles {
  readonly names: readonly string[];
  /** UnknownProfile (non-retryable) when the worker has no profile of that name. */
  get(name: string): StorageProfile;
}

export function storageProfilesOf(profiles: readonly StorageProfile[]): StorageProfiles {
  const byName = new Map(profiles.map((p) => [p.name, p]));
  const names = profiles.map((p) => p.name);
  return {
    names,
    get(name) {
      const profile = byName.get(name);
      if (!profile) throw unknownNameFailure('profile', name, names);
      return profile;
    },
  };
}
