// d3-octree ships no types; the slice the build benchmark uses.
declare module 'd3-octree' {
  interface Octree<T> {
    addAll(data: readonly T[]): Octree<T>;
    size(): number;
  }
  export function octree<T>(data: readonly T[], x: (d: T) => number, y: (d: T) => number, z: (d: T) => number): Octree<T>;
}
