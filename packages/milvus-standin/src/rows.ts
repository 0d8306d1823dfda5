/** Conversions between Milvus's wire shapes (CollectionSchema, columnar FieldData) and stored rows. */
import type { FieldDef, KeyValue, Row, SchemaDef } from './model';

/** Raised by handlers; the server turns it into a common.Status. */
export class MilvusFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    /** The deprecated error_code, when Milvus sets one other than merr's oldCode(code). */
    readonly legacyCode?: string,
  ) {
    super(reason);
  }
}

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asStr = (v: unknown, fallback = ''): string => (v === undefined || v === null ? fallback : String(v));

function keyValues(v: unknown): KeyValue[] {
  return asArr(v).map((kv) => ({ key: asStr(asObj(kv).key), value: asStr(asObj(kv).value) }));
}

const SCALAR_KEYS: Record<string, string> = {
  Bool: 'bool_data',
  Int8: 'int_data',
  Int16: 'int_data',
  Int32: 'int_data',
  Int64: 'long_data',
  Float: 'float_data',
  Double: 'double_data',
  String: 'string_data',
  VarChar: 'string_data',
  Text: 'string_data',
  JSON: 'json_data',
  Array: 'array_data',
};

const VECTOR_TYPES = new Set([
  'FloatVector',
  'BinaryVector',
  'Float16Vector',
  'BFloat16Vector',
  'SparseFloatVector',
  'Int8Vector',
]);

/** The field the proxy appends for dynamic keys (internal/proxy/task.go, appendDynamicField). */
export const DYNAMIC_FIELD = '$meta';

export function isVectorType(dataType: string): boolean {
  return dataType.endsWith('Vector');
}

export function typeParam(field: FieldDef, key: string): string | undefined {
  return field.type_params.find((kv) => kv.key === key)?.value;
}

export function dimOf(field: FieldDef): number {
  return Number(typeParam(field, 'dim') ?? 0);
}

/** From a decoded CollectionSchema (CreateCollection) to the stored schema, assigning field ids from 100 as Milvus does. */
export function schemaFromProto(proto: Obj, collectionName: string): SchemaDef {
  const fields = asArr(proto.fields).map((raw, index): FieldDef => {
    const f = asObj(raw);
    return {
      fieldID: String(100 + index),
      name: asStr(f.name),
      description: asStr(f.description),
      data_type: asStr(f.data_type, 'None'),
      element_type: asStr(f.element_type, 'None'),
      is_primary_key: f.is_primary_key === true,
      autoID: f.autoID === true,
      nullable: f.nullable === true,
      is_partition_key: f.is_partition_key === true,
      is_clustering_key: f.is_clustering_key === true,
      type_params: keyValues(f.type_params),
      index_params: keyValues(f.index_params),
    };
  });
  // Refused rather than silently dropped: the stand-in has no function runner and no struct arrays.
  if (asArr(proto.functions).length > 0 || asArr(proto.struct_array_fields).length > 0) {
    throw new MilvusFailure(
      3000,
      'schema functions (BM25, MinHash, text embedding) and struct array fields are not implemented by the Milvus stand-in: unsupported operation',
    );
  }
  // internal/proxy/util.go validateDynamicField: only the proxy itself creates the dynamic field.
  if (asArr(proto.fields).some((f) => asObj(f).is_dynamic === true)) {
    throw new MilvusFailure(1100, 'cannot explicitly set a field as a dynamic field: invalid parameter');
  }
  // Like the proxy's createCollectionTask (appendDynamicField): a dynamic schema gets a `$meta` JSON field.
  if (proto.enable_dynamic_field === true && !fields.some((f) => f.is_dynamic)) {
    fields.push({
      fieldID: String(100 + fields.length),
      name: DYNAMIC_FIELD,
      description: 'dynamic schema',
      data_type: 'JSON',
      element_type: 'None',
      is_primary_key: false,
      autoID: false,
      nullable: true,
      is_partition_key: false,
      is_clustering_key: false,
      type_params: [],
      index_params: [],
      is_dynamic: true,
    });
  }
  return {
    name: asStr(proto.name) || collectionName,
    description: asStr(proto.description),
    autoID: fields.some((f) => f.is_primary_key && f.autoID),
    enable_dynamic_field: proto.enable_dynamic_field === true,
    fields,
    properties: keyValues(proto.properties),
  };
}

/** Rejects schemas Milvus would reject, with Milvus's wording where it matters. */
export function validateSchema(schema: SchemaDef): string | null {
  const pks = schema.fields.filter((f) => f.is_primary_key);
  if (pks.length !== 1) return 'there should be one and only one primary key in collection schema';
  const pk = pks[0] as FieldDef;
  if (pk.data_type !== 'Int64' && pk.data_type !== 'VarChar')
    return 'the data type of primary key should be Int64 or VarChar';
  if (!schema.fields.some((f) => isVectorType(f.data_type))) return 'schema does not contain vector field';
  const unsupported = schema.fields.find((f) => !SCALAR_KEYS[f.data_type] && !VECTOR_TYPES.has(f.data_type));
  if (unsupported)
    return `data type ${unsupported.data_type} of field ${unsupported.name} is not supported by the Milvus stand-in`;
  const names = new Set<string>();
  for (const f of schema.fields) {
    if (names.has(f.name)) return `duplicated field name ${f.name} found`;
    names.add(f.name);
    if (isVectorType(f.data_type) && f.data_type !== 'SparseFloatVector' && !(dimOf(f) > 0))
      return `dimension is not defined in field type params of field ${f.name}`;
    // typeutil.ValidateArrayFieldSchema-style checks (internal/proxy/util.go validateMaxCapacityPerRow)
    if (f.data_type === 'Array' && !(Number(typeParam(f, 'max_capacity')) > 0))
      return `type param(max_capacity) should be specified for array field ${f.name}`;
    if (f.data_type === 'Array' && !SCALAR_KEYS[f.element_type])
      return `element type ${f.element_type} of array field ${f.name} is not supported`;
  }
  return null;
}

/** As DescribeCollection answers it: the proxy's describeCollectionTask leaves the dynamic field out. */
export function schemaToProto(schema: SchemaDef): Obj {
  return {
    name: schema.name,
    description: schema.description,
    autoID: schema.autoID,
    enable_dynamic_field: schema.enable_dynamic_field,
    properties: schema.properties,
    fields: schema.fields
      .filter((f) => !f.is_dynamic)
      .map((f) => ({
        fieldID: f.fieldID,
        name: f.name,
        is_primary_key: f.is_primary_key,
        description: f.description,
        data_type: f.data_type,
        type_params: f.type_params,
        index_params: f.index_params,
        autoID: f.autoID,
        state: 'FieldCreated',
        element_type: f.element_type,
        nullable: f.nullable,
        is_partition_key: f.is_partition_key,
        is_clustering_key: f.is_clustering_key,
        is_dynamic: f.is_dynamic === true,
      })),
  };
}

export function primaryField(schema: SchemaDef): FieldDef {
  return schema.fields.find((f) => f.is_primary_key) as FieldDef;
}

/** Values of one FieldData column, expanded to one entry per row (null where valid_data says absent). */
function columnValues(fd: Obj, field: FieldDef, numRows: number): unknown[] {
  if (isVectorType(field.data_type)) return vectorColumn(fd, field, numRows);
  const scalars = asObj(fd.scalars);
  const key = asStr(scalars.data) || SCALAR_KEYS[field.data_type] || '';
  let values = asArr(asObj(scalars[key]).data);
  if (key === 'json_data') values = values.map((b) => decodeJson(b, field.name));
  if (key === 'array_data') values = values.map((cell) => arrayCell(asObj(cell), field.element_type));
  if (field.data_type === 'Int64') values = values.map((v) => asStr(v));
  const valid = asArr(fd.valid_data);
  if (valid.length === numRows && values.length < numRows) {
    let next = 0;
    values = valid.map((ok) => (ok ? values[next++] : null));
  }
  return values;
}

/** One Array cell (a ScalarField of the element type) → a plain array; Int64 elements stay decimal strings. */
function arrayCell(cell: Obj, elementType: string): unknown[] {
  const key = asStr(cell.data) || SCALAR_KEYS[elementType] || '';
  const values = asArr(asObj(cell[key]).data);
  return elementType === 'Int64' ? values.map((v) => asStr(v)) : values;
}

function decodeJson(raw: unknown, fieldName: string): unknown {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : asStr(raw);
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new MilvusFailure(1100, `invalid JSON in field ${fieldName}: invalid parameter`);
  }
}

function vectorColumn(fd: Obj, field: FieldDef, numRows: number): unknown[] {
  const vectors = asObj(fd.vectors);
  const dim = dimOf(field);
  if (field.data_type === 'FloatVector') {
    const flat = asArr(asObj(vectors.float_vector).data).map(Number);
    if (flat.length !== dim * numRows) {
      throw new MilvusFailure(
        1100,
        `the dim (${numRows > 0 ? flat.length / numRows : 0}) of field data(${field.name}) is not equal to schema dim (${dim}): invalid parameter`,
      );
    }
    return Array.from({ length: numRows }, (_, i) => flat.slice(i * dim, (i + 1) * dim));
  }
  if (field.data_type === 'SparseFloatVector') {
    return asArr(asObj(vectors.sparse_float_vector).contents).map((c) => decodeSparseRow(c as Buffer));
  }
  // Byte-packed kinds: binary (dim/8 bytes), float16/bfloat16 (2 bytes per dim), int8 (1 byte per dim).
  const { key, width } = packedLayout(field.data_type, dim);
  const bytes = Buffer.from((vectors[key] as Buffer | undefined) ?? []);
  if (bytes.length !== width * numRows) {
    throw new MilvusFailure(
      1100,
      `the dim (${numRows > 0 ? bytes.length / numRows / (width / dim) : 0}) of field data(${field.name}) is not equal to schema dim (${dim}): invalid parameter`,
    );
  }
  return Array.from({ length: numRows }, (_, i) => Array.from(bytes.subarray(i * width, (i + 1) * width)));
}

/** Where a byte-packed vector kind lives in VectorField and how many bytes one row takes. */
export function packedLayout(dataType: string, dim: number): { key: string; width: number } {
  switch (dataType) {
    case 'BinaryVector':
      return { key: 'binary_vector', width: dim / 8 };
    case 'Float16Vector':
      return { key: 'float16_vector', width: dim * 2 };
    case 'BFloat16Vector':
      return { key: 'bfloat16_vector', width: dim * 2 };
    default:
      return { key: 'int8_vector', width: dim };
  }
}

/** A sparse row is little-endian (uint32 index, float32 value) pairs (pkg/util/typeutil SparseFloatRow). */
export function decodeSparseRow(raw: Buffer): Record<string, number> {
  const row: Record<string, number> = {};
  for (let at = 0; at + 8 <= raw.length; at += 8) row[String(raw.readUInt32LE(at))] = raw.readFloatLE(at + 4);
  return row;
}

function encodeSparseRow(row: Record<string, number>): Buffer {
  const entries = Object.entries(row).sort((a, b) => Number(a[0]) - Number(b[0]));
  const out = Buffer.alloc(entries.length * 8);
  entries.forEach(([index, value], i) => {
    out.writeUInt32LE(Number(index), i * 8);
    out.writeFloatLE(value, i * 8 + 4);
  });
  return out;
}

/** internal/proxy/validate_util.go: no array may hold more elements than the field's max_capacity. */
function checkCapacity(field: FieldDef, values: unknown[]): void {
  const max = Number(typeParam(field, 'max_capacity'));
  const at = values.findIndex((v) => Array.isArray(v) && v.length > max);
  if (at < 0) return;
  throw new MilvusFailure(
    1100,
    `the length (${(values[at] as unknown[]).length}) of ${at}th array exceeds max capacity (${max}): invalid parameter[expected=valid length array][actual=array length exceeds max capacity]`,
  );
}

/** Columnar insert payload → rows; `allocateId` fills an autoID primary key. */
export function rowsFromFieldData(
  schema: SchemaDef,
  fieldsData: unknown[],
  numRows: number,
  allocateId: () => string,
): Row[] {
  const byName = new Map(fieldsData.map((fd) => [asStr(asObj(fd).field_name), asObj(fd)]));
  const rows: Row[] = Array.from({ length: numRows }, () => ({}));
  for (const field of schema.fields) {
    const fd = byName.get(field.name);
    if (!fd) {
      if (field.is_primary_key && field.autoID) {
        rows.forEach((row) => (row[field.name] = allocateId()));
        continue;
      }
      if (field.is_dynamic) {
        rows.forEach((row) => (row[field.name] = {}));
        continue;
      }
      if (field.nullable) {
        rows.forEach((row) => (row[field.name] = null));
        continue;
      }
      throw new MilvusFailure(
        1100,
        `fieldSchema(${field.name}) has no corresponding fieldData pass in: invalid parameter`,
      );
    }
    const values = columnValues(fd, field, numRows);
    if (values.length !== numRows) {
      throw new MilvusFailure(
        1100,
        `the num_rows (${values.length}) of field (${field.name}) is not equal to passed num_rows (${numRows}): invalid parameter`,
      );
    }
    if (field.data_type === 'Array') checkCapacity(field, values);
    values.forEach((v, i) => ((rows[i] as Row)[field.name] = v));
  }
  return rows;
}

/** Rows → columnar FieldData for the named output fields, encoded so the SDK decodes them. */
export function fieldDataFromRows(schema: SchemaDef, rows: Row[], outputFields: string[]): Obj[] {
  return outputFields.map((name) => {
    const field = schema.fields.find((f) => f.name === name) as FieldDef;
    const values = rows.map((r) => r[name]);
    const base = {
      type: field.data_type,
      field_name: field.name,
      field_id: field.fieldID,
      is_dynamic: field.is_dynamic === true,
    };
    if (field.data_type === 'FloatVector') {
      return {
        ...base,
        vectors: { dim: String(dimOf(field)), float_vector: { data: values.flatMap((v) => v as number[]) } },
      };
    }
    if (field.data_type === 'SparseFloatVector') {
      const rows = values.map((v) => v as Record<string, number>);
      const dim = Math.max(0, ...rows.flatMap((r) => Object.keys(r).map((k) => Number(k) + 1)));
      return {
        ...base,
        vectors: {
          dim: String(dim),
          sparse_float_vector: { dim: String(dim), contents: rows.map(encodeSparseRow) },
        },
      };
    }
    if (isVectorType(field.data_type)) {
      const { key } = packedLayout(field.data_type, dimOf(field));
      return {
        ...base,
        vectors: { dim: String(dimOf(field)), [key]: Buffer.from(values.flatMap((v) => v as number[])) },
      };
    }
    if (field.data_type === 'Array') {
      const elementKey = SCALAR_KEYS[field.element_type] as string;
      return {
        ...base,
        valid_data: field.nullable ? values.map((v) => v !== null && v !== undefined) : [],
        scalars: {
          array_data: {
            element_type: field.element_type,
            data: values.map((v) => ({ [elementKey]: { data: (v as unknown[] | null) ?? [] } })),
          },
        },
      };
    }
    const key = SCALAR_KEYS[field.data_type] as string;
    const nullable = field.nullable;
    const encoded = values.map((v) => encodeScalar(field.data_type, v));
    return {
      ...base,
      valid_data: nullable ? values.map((v) => v !== null && v !== undefined) : [],
      scalars: { [key]: { data: encoded } },
    };
  });
}

function encodeScalar(dataType: string, v: unknown): unknown {
  if (dataType === 'JSON') return Buffer.from(v === null || v === undefined ? '' : JSON.stringify(v), 'utf8');
  if (v === null || v === undefined) {
    return { Bool: false, VarChar: '', String: '', Text: '', Int64: '0' }[dataType] ?? 0;
  }
  return v;
}

/** `count(*)` result column. */
export function countFieldData(count: number): Obj {
  return {
    type: 'Int64',
    field_name: 'count(*)',
    field_id: '0',
    is_dynamic: false,
    valid_data: [],
    scalars: { long_data: { data: [String(count)] } },
  };
}
