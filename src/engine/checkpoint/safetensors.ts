/**
 * The safetensors format (Hugging Face): 8-byte little-endian header length N, N bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {..}}`, then the raw
 * little-endian tensor bytes; offsets are relative to the end of the header. We write F32 only and
 * read F32, F16 and BF16 (converted to float32), rejecting anything malformed.
 */

/** One named tensor of a safetensors file. */
export interface SafetensorsEntry {
  shape: readonly number[];
  data: Float32Array;
}

/** A malformed or inconsistent safetensors file. */
export class SafetensorsError extends Error {
  override readonly name = 'SafetensorsError';
}

const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

/** Serialises tensors (in the given order) and string metadata. */
export function writeSafetensors(tensors: Iterable<[string, SafetensorsEntry]>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const list = [...tensors];
  let offset = 0;
  for (const [name, t] of list) {
    const bytes = t.data.length * 4;
    header[name] = { dtype: 'F32', shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad with spaces so the data starts 8-byte aligned (the format recommends it).
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + head.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(head.length), true);
  out.set(head, 8);
  let pos = 8 + head.length;
  for (const [, t] of list) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), pos);
    pos += t.data.byteLength;
  }
  return out;
}

/** Parses a safetensors file; throws {@link SafetensorsError} on any inconsistency. */
export function readSafetensors(bytes: Uint8Array): { tensors: Map<string, SafetensorsEntry>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new SafetensorsError(`file too short (${bytes.length} bytes) for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(view.getBigUint64(0, true));
  if (headerLen > bytes.length - 8 || headerLen > 100 << 20) {
    throw new SafetensorsError(`header length ${headerLen} exceeds the file (${bytes.length} bytes): truncated or not safetensors`);
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen))) as Record<string, unknown>;
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON: ${(err as Error).message}`);
  }
  const dataStart = 8 + headerLen;
  const dataLen = bytes.length - dataStart;
  const tensors = new Map<string, SafetensorsEntry>();
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const spans: Array<[number, number]> = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = String(info.dtype);
    const width = DTYPE_BYTES[dtype];
    if (!width) throw new SafetensorsError(`tensor ${name}: unsupported dtype ${dtype}`);
    const shape = info.shape;
    const offsets = info.data_offsets;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new SafetensorsError(`tensor ${name}: bad shape`);
    if (!Array.isArray(offsets) || offsets.length !== 2) throw new SafetensorsError(`tensor ${name}: bad data_offsets`);
    const [begin, end] = offsets as [number, number];
    const count = (shape as number[]).reduce((p, d) => p * d, 1);
    if (!(begin >= 0 && end <= dataLen && end - begin === count * width)) {
      throw new SafetensorsError(`tensor ${name}: data_offsets [${begin}, ${end}] do not fit ${count} ${dtype} values in ${dataLen} data bytes`);
    }
    spans.push([begin, end]);
    tensors.set(name, { shape: shape as number[], data: decode(bytes, dataStart + begin, count, dtype) });
  }
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]![0] < spans[i - 1]![1]) throw new SafetensorsError('tensor data regions overlap');
  }
  return { tensors, metadata };
}

function decode(bytes: Uint8Array, start: number, count: number, dtype: string): Float32Array {
  const out = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, count * (DTYPE_BYTES[dtype] ?? 4));
  if (dtype === 'F32') {
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  } else if (dtype === 'BF16') {
    const tmp = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < count; i++) {
      tmp.setUint32(0, view.getUint16(i * 2, true) << 16);
      out[i] = tmp.getFloat32(0);
    }
  } else {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  }
  return out;
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * Math.pow(2, -14) * (f / 1024);
  if (e === 31) return f ? Number.NaN : s * Infinity;
  return s * Math.pow(2, e - 15) * (1 + f / 1024);
}
