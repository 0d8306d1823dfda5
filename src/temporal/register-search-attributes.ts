import type { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { errorText } from '../shared/text';
import { ALL_SEARCH_ATTRIBUTES } from './search-attributes';

/**
 * The workflows upsert custom search attributes; on a server that does not know them, every
 * workflow task would fail. The worker therefore registers the missing ones at start-up (a
 * no-op when present). Where the operator API is not allowed (Temporal Cloud), it returns the
 * names so the caller can say how to add them by hand.
 */
const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
};

export interface SearchAttributeRegistration {
  added: string[];
  /** Missing attributes the server would not let us add, with its reason. */
  missing: string[];
  error?: string;
}

export async function ensureSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<SearchAttributeRegistration> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !known.has(key.name));
  if (missing.length === 0) return { added: [], missing: [] };
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, INDEXED[key.type]])),
    });
    return { added: missing.map((k) => k.name), missing: [] };
  } catch (err) {
    return {
      added: [],
      missing: missing.map((k) => `${k.name}=${k.type === SearchAttributeType.INT ? 'Int' : 'Keyword'}`),
      error: errorText(err),
    };
  }
}
