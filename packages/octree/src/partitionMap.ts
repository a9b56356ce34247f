/**
 * Partition id → leaf node, on the writer (it answers `setHeat`). Open addressing with linear
 * probing over two Int32Arrays and backward-shift deletion (no tombstones), at most half full.
 * A JS `Map` took 2.5–11 ms for the ~37k `set`s of one 1M-point build (4.7k splits, 8 ids each);
 * this is a multiply and, mostly, one probe per call. Writer thread only.
 */

const EMPTY = -1;

export class PartitionMap {
  private keys = new Int32Array(64).fill(EMPTY);
  private values = new Int32Array(64);
  private bits = 6;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The node of partition `id`, or undefined (also for ids that are not integers in [0, 2^31)). */
  get(id: number): number | undefined {
    if (!((id | 0) === id && id >= 0)) return undefined;
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let i = this.home(id); ; i = (i + 1) & mask) {
      const k = keys[i]!;
      if (k === id) return this.values[i]!;
      if (k === EMPTY) return undefined;
    }
  }

  /** Sets the node of partition `id` (an integer in [0, 2^31)). */
  set(id: number, node: number): void {
    if (2 * (this.count + 1) > this.keys.length) this.grow();
    const keys = this.keys;
    const mask = keys.length - 1;
    let i = this.home(id);
    while (keys[i] !== EMPTY && keys[i] !== id) i = (i + 1) & mask;
    if (keys[i] === EMPTY) this.count++;
    keys[i] = id;
    this.values[i] = node;
  }

  delete(id: number): boolean {
    if (!((id | 0) === id && id >= 0)) return false;
    const keys = this.keys;
    const values = this.values;
    const mask = keys.length - 1;
    let i = this.home(id);
    while (keys[i] !== id) {
      if (keys[i] === EMPTY) return false;
      i = (i + 1) & mask;
    }
    // Backward shift: pull each later entry of the run into the hole unless that would put it
    // before its home slot.
    for (let j = (i + 1) & mask; keys[j] !== EMPTY; j = (j + 1) & mask) {
      const h = this.home(keys[j]!);
      if (((j - h) & mask) >= ((j - i) & mask)) {
        keys[i] = keys[j]!;
        values[i] = values[j]!;
        i = j;
      }
    }
    keys[i] = EMPTY;
    this.count--;
    return true;
  }

  clear(): void {
    this.keys.fill(EMPTY);
    this.count = 0;
  }

  private home(id: number): number {
    return Math.imul(id, 0x9e3779b1) >>> (32 - this.bits);
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.bits++;
    this.keys = new Int32Array(keys.length * 2).fill(EMPTY);
    this.values = new Int32Array(keys.length * 2);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== EMPTY) this.set(keys[i]!, values[i]!);
  }
}
