/**
 * Growable SharedArrayBuffers (ES2024) run on Node 20 (V8 11.3) but are not in the ES2023 lib we
 * compile against; widening the lib would also admit APIs that Node 20 lacks (`Map.groupBy`), so
 * we declare only what we use.
 */
declare global {
  interface SharedArrayBuffer {
    grow(newByteLength: number): void;
    readonly growable: boolean;
    readonly maxByteLength: number;
  }
  interface SharedArrayBufferConstructor {
    new (byteLength: number, options?: { maxByteLength?: number }): SharedArrayBuffer;
  }
}

export {};
