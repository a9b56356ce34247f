/**
 * A growable FIFO on a power-of-two array (no `Array#shift`, which is O(n) past small sizes).
 * Used for waiting senders and receivers; single-thread only.
 */
export class Fifo<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(4);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(item: T): void {
    if (this.tail - this.head === this.items.length) this.grow();
    this.items[this.tail & (this.items.length - 1)] = item;
    this.tail++;
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.head === this.tail) return undefined;
    const slot = this.head & (this.items.length - 1);
    const item = this.items[slot];
    this.items[slot] = undefined;
    this.head++;
    return item;
  }

  private grow(): void {
    const old = this.items;
    const next = new Array<T | undefined>(old.length * 2);
    for (let i = this.head; i < this.tail; i++) next[i - this.head] = old[i & (old.length - 1)];
    this.tail -= this.head;
    this.head = 0;
    this.items = next;
  }
}
