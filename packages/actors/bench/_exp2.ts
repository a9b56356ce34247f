import { Actor, createKindRunner, field, KindStore, TICK, type Context, type Tick, Vec3 } from '@concurrengine/actors';
const N = 1_000_000, DT = 1/60;
const mode = process.argv[2];
class GameEntity extends Actor({ position: field.vec3(), velocity: field.vec3() }) {
  handle(_tick: Tick, ctx: Context): void {
    if (mode === 'raw') { const p = this.position, v = this.velocity; const a = p.a, b = v.a, i = p.c.o*3, dt = ctx.delta(); a[i] += b[i]*dt; a[i+1] += b[i+1]*dt; a[i+2] += b[i+2]*dt; return; }
    if (mode === 'empty') return;
    this.position.addScaled(this.velocity, ctx.delta());
  }
}
const store = new KindStore(GameEntity, 0);
store.spawnMany(N, (e, i) => { e.position.set(i, 0, 0); e.velocity.set(1, 1, 1); });
const runner = createKindRunner(GameEntity, store);
const ctx = { tick: () => 0, delta: () => DT } as unknown as Context;
const times: number[] = [];
if (mode === 'floor') {
  const pages = store.pages;
  for (let t = 0; t < 30; t++) { const s = performance.now();
    for (let p = 0; p < store.usedPages; p++) { const pg = pages[p]!; const a = pg.columns[0] as Float64Array, b = pg.columns[1] as Float64Array, al = pg.alive; const n = Math.min(4096, N - p*4096);
      for (let o = 0; o < n; o++) { if (al[o] !== 1) continue; const i = o*3; a[i] += b[i]*DT; a[i+1] += b[i+1]*DT; a[i+2] += b[i+2]*DT; } }
    times.push(performance.now() - s); }
} else for (let t = 0; t < 30; t++) { const s = performance.now(); runner.runPages(0, store.usedPages, TICK, ctx, []); times.push(performance.now() - s); }
times.sort((a,b)=>a-b); console.log(mode, 'median', times[15].toFixed(2), 'min', times[0].toFixed(2));
