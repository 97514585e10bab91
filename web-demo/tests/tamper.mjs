// Makes tampered copies of a .krupack for the trust tests. Layout (core/src/envelope.rs):
//
//   0      8  magic                     20     1  pack id length n
//   8      2  format version (2)        21     n  pack id
//   10     2  flags (0)                 21+n   6  version
//   12     4  payload length L          27+n   L  payload: LZ4 block of the postcard encoding
//   16     4  decoded length D          27+n+L 4  CRC-32 of every byte before it
//   31+n+L 2  signature block length S  33+n+L S  signature block
//
// A tamperer who knows the format decompresses the payload, changes it, compresses it again
// and recomputes the checksum, so the pack is not merely "damaged": only the signature can
// tell that it was changed.

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i += 1) {
    let c = i;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE), as the engine computes it. */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The offsets of a pack's parts. */
export function layout(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(8, true) !== 2 || view.getUint16(10, true) !== 0) throw new Error("not a format-2 pack without flags");
  const payloadLen = view.getUint32(12, true);
  const decodedLen = view.getUint32(16, true);
  const n = bytes[20];
  const payload = 27 + n;
  const crc = payload + payloadLen;
  const sigLen = view.getUint16(crc + 4, true);
  return { payload, payloadEnd: crc, decodedLen, crc, sigLen, sigStart: crc + 6, end: crc + 6 + sigLen };
}

/** Decompresses an LZ4 block (the format of lz4_flex::block) of known decoded size. */
export function lz4Decompress(src, size) {
  const out = new Uint8Array(size);
  let i = 0;
  let o = 0;
  const length = (base) => {
    let len = base;
    if (base === 15) {
      let b;
      do {
        b = src[i++];
        len += b;
      } while (b === 255);
    }
    return len;
  };
  while (i < src.length) {
    const token = src[i++];
    const lit = length(token >> 4);
    out.set(src.subarray(i, i + lit), o);
    i += lit;
    o += lit;
    if (i >= src.length) break; // the last sequence has literals only
    const offset = src[i] | (src[i + 1] << 8);
    i += 2;
    const len = length(token & 15) + 4;
    for (let k = 0; k < len; k += 1, o += 1) out[o] = out[o - offset];
  }
  if (o !== size) throw new Error(`LZ4: decoded ${o} bytes, expected ${size}`);
  return out;
}

/** An LZ4 block holding `data` as literals only (valid, if not small). */
export function lz4Literals(data) {
  const head = [];
  const n = data.length;
  head.push((Math.min(n, 15) << 4) & 0xff);
  if (n >= 15) {
    let rest = n - 15;
    while (rest >= 255) {
      head.push(255);
      rest -= 255;
    }
    head.push(rest);
  }
  const out = new Uint8Array(head.length + n);
  out.set(head, 0);
  out.set(data, head.length);
  return out;
}

/** Reassembles a pack from its original header, a new decoded payload and a signature block. */
export function assemble(original, decoded, signature) {
  const { payload } = layout(original);
  const block = lz4Literals(decoded);
  const out = new Uint8Array(payload + block.length + 6 + signature.length);
  out.set(original.subarray(0, payload), 0);
  const view = new DataView(out.buffer);
  view.setUint32(12, block.length, true);
  view.setUint32(16, decoded.length, true);
  out.set(block, payload);
  const crc = payload + block.length;
  view.setUint32(crc, crc32(out.subarray(0, crc)), true);
  view.setUint16(crc + 4, signature.length, true);
  out.set(signature, crc + 6);
  return out;
}

/** The decoded (postcard) payload of a pack. */
export function payloadOf(bytes) {
  const { payload, payloadEnd, decodedLen } = layout(bytes);
  return lz4Decompress(bytes.subarray(payload, payloadEnd), decodedLen);
}

function indexesOf(bytes, needle, from, to) {
  const out = [];
  outer: for (let i = from; i <= to - needle.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (bytes[i + j] !== needle[j]) continue outer;
    out.push(i);
  }
  return out;
}

/** Reads a postcard varint (LEB128) at `at`: [value, next offset]. */
function varint(bytes, at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at];
    at += 1;
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return [value, at];
    shift += 7;
  }
}

/**
 * The offset of the phone number's digits of resource `id` in a decoded payload. A resource
 * is `id: String, name: Text, phone: String, …` (core/src/pack.rs), and a text in the pack is
 * a handle into the payload's text table: its first string (varint), its number of languages
 * (varint) and whether it has audio (one byte). So the phone follows the id and the handle.
 */
export function phoneOffset(decoded, id = "hotline-1288") {
  const needle = [id.length, ...[...id].map((c) => c.charCodeAt(0))];
  const hits = indexesOf(decoded, needle, 0, decoded.length);
  if (hits.length !== 1) throw new Error(`expected resource "${id}" once in the payload, found it ${hits.length} times`);
  let at = hits[0] + needle.length;
  at = varint(decoded, at)[1]; // name: first string
  at = varint(decoded, at)[1]; // name: languages
  at += 1; // name: audio
  const [len, digits] = varint(decoded, at);
  return { at: digits, len, phone: new TextDecoder().decode(decoded.subarray(digits, digits + len)) };
}

/**
 * Changes one digit of the hotline's phone number ("1288" → `replacement`), compresses the
 * payload again and recomputes the CRC-32; the signature block is kept as it was.
 */
export function tamperHotline(original, replacement = "1289") {
  const decoded = payloadOf(original);
  const field = phoneOffset(decoded);
  if (field.phone !== "1288") throw new Error(`the hotline is "${field.phone}", not "1288"`);
  const changed = [...replacement].filter((c, i) => c !== field.phone[i]).length;
  if (replacement.length !== field.len || changed !== 1) throw new Error("change exactly one digit");
  decoded.set([...replacement].map((c) => c.charCodeAt(0)), field.at);
  const { sigStart, end } = layout(original);
  return assemble(original, decoded, original.subarray(sigStart, end));
}

/** The same pack without its signature block (an unsigned pack). */
export function stripSignature(original) {
  const { crc } = layout(original);
  const bytes = Uint8Array.from(original.subarray(0, crc + 6));
  new DataView(bytes.buffer).setUint16(crc + 4, 0, true);
  return bytes;
}
