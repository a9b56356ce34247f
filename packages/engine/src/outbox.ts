/**
 * One thread's outbox: a growable SharedArrayBuffer of float64 lanes. The owning thread appends
 * during a batch; the main thread reads after the batch's barrier (which orders the writes before
 * the reads) and resets the length before the next batch. Growing needs no message: every thread
 * holding the buffer sees its new length.
 */
import { ensureBytes, growableBuffer } from './sharedGrowth.js';

export class Outbox {
  f64: Float64Array;
  u8: Uint8Array;
  /** Lanes used. */
  length = 0;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.f64 = new Float64Array(buffer, 0, buffer.byteLength / 8);
    this.u8 = new Uint8Array(buffer, 0, buffer.byteLength);
  }

  /** Reserves `lanes` lanes and returns where they start. */
  reserve(lanes: number): number {
    const at = this.length;
    const end = at + lanes;
    if (end > this.f64.length) this.grow(end);
    this.length = end;
    return at;
  }

  /** Re-reads the buffer's size (another thread may have grown it). */
  refresh(): void {
    if (this.f64.length * 8 !== this.buffer.byteLength) {
      this.f64 = new Float64Array(this.buffer, 0, this.buffer.byteLength / 8);
      this.u8 = new Uint8Array(this.buffer, 0, this.buffer.byteLength);
    }
  }

  private grow(lanes: number): void {
    ensureBytes(this.buffer, lanes * 8);
    this.refresh();
  }
}

/** A growable shared buffer for one outbox. */
export function allocateOutbox(): SharedArrayBuffer {
  return growableBuffer();
}
