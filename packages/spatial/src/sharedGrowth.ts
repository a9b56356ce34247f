/**
 * Growable SharedArrayBuffers for the engine's per-tick data (outboxes, the neighbour grid, the
 * routed messages): address space is reserved up front, memory is committed as a buffer grows,
 * and every thread holding the buffer sees the new length without a message.
 */

/** Address space reserved per buffer (virtual: nothing is committed until it grows). */
export const MAX_SHARED_BYTES = 2 ** 31;

/** The most V8 lets a growable SharedArrayBuffer reserve (4 GiB); for the one buffer that needs more than MAX_SHARED_BYTES. */
export const MAX_GROWABLE_BYTES = 2 ** 32;

/** A growable shared buffer of `initialBytes`, reserving `maxBytes` of address space. */
export function growableBuffer(initialBytes = 0, maxBytes = MAX_SHARED_BYTES): SharedArrayBuffer {
  return new SharedArrayBuffer(initialBytes, { maxByteLength: maxBytes });
}

/** Grows `buffer` to at least `bytes` (doubling, so n appends cost O(n)); throws a RangeError past the reservation. */
export function ensureBytes(buffer: SharedArrayBuffer, bytes: number): void {
  if (buffer.byteLength >= bytes) return;
  if (bytes > buffer.maxByteLength) throw new RangeError(`a shared buffer needs ${bytes} bytes, more than the ${buffer.maxByteLength} reserved`);
  buffer.grow(Math.min(buffer.maxByteLength, Math.max(bytes, buffer.byteLength * 2, 1 << 16)));
}
