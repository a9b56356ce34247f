/**
 * `readMeta` (issue 15 item 6): a tick's meta without its pages, so a replay can read the inputs
 * a later tick carries even when that tick's pages are damaged, and without paying for them.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

import { openFileSnapshotStore, type SnapshotStore } from '../src/index.js';
import { bytes, filled, removeTempDirs, storeKinds, tempDir } from './helpers.js';

afterAll(removeTempDirs);

/** Page unique to tick t: a pattern that occurs nowhere else in the store. */
const unique = (t: number): Uint8Array => Uint8Array.from({ length: 3000 }, (_, i) => ((i * 7 + t * 13) & 0xff) ^ t);
const manifestOf = (dir: string, t: number): string => join(dir, `tick-${String(t).padStart(16, '0')}.ctick`);

function flip(file: string, offset: number): void {
  const data = readFileSync(file);
  data[offset]! ^= 0x5a;
  writeFileSync(file, data);
}

/** Flips a byte in the payload of the record holding `page` (in whichever segment holds it). */
function damagePage(dir: string, page: Uint8Array): string {
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.cseg'))) {
    const at = readFileSync(join(dir, name)).indexOf(page);
    if (at < 0) continue;
    flip(join(dir, name), at + 100);
    return join(dir, name);
  }
  throw new Error('page not found');
}

async function threeTicks(store: SnapshotStore): Promise<void> {
  for (let t = 1; t <= 3; t++) await store.writeTick({ tick: t, meta: bytes(t, t + 1, t + 2), pages: [filled(2000, 0xee), unique(t)] });
}

describe.each(storeKinds)('readMeta on the $name store', (kind) => {
  it('returns the meta readTick returns, and refuses a tick not held with SNAPSHOT_TICK_MISSING', async () => {
    const store = await kind.open(tempDir());
    await threeTicks(store);
    for (const t of [1, 2, 3]) expect(await store.readMeta!(t)).toEqual((await store.readTick(t)).meta);
    await expect(store.readMeta!(4)).rejects.toMatchObject({ code: 'SNAPSHOT_TICK_MISSING', available: { first: 1, last: 3, count: 3 } });
    await store.compact({ keepLast: 1 });
    await expect(store.readMeta!(2)).rejects.toMatchObject({ code: 'SNAPSHOT_TICK_MISSING' });
    expect(await store.readMeta!(3)).toEqual(bytes(3, 4, 5));
    await store.close();
    await expect(store.readMeta!(3)).rejects.toMatchObject({ code: 'SNAPSHOT_CLOSED' });
  });
});

describe.each([false, true])('readMeta on a damaged file store (worker %s)', (worker) => {
  it('reads the meta of a tick whose page is damaged, which readTick refuses', async () => {
    const dir = tempDir('snapshot-readmeta-');
    const writer = await openFileSnapshotStore(dir, { worker: false, segmentBytes: 1 });
    await threeTicks(writer);
    await writer.close();
    const segment = damagePage(dir, unique(2));
    const store = await openFileSnapshotStore(dir, { worker });
    await expect(store.readTick(2)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT', file: segment });
    expect(await store.readMeta!(2)).toEqual(bytes(2, 3, 4));
    await store.close();
  });

  it('refuses the meta of a tick whose manifest is damaged, naming its file and tick; the others read', async () => {
    const dir = tempDir('snapshot-readmeta-');
    const writer = await openFileSnapshotStore(dir, { worker: false });
    await threeTicks(writer);
    await writer.close();
    flip(manifestOf(dir, 2), 49); // a meta byte: the manifest's checksum no longer holds
    const store = await openFileSnapshotStore(dir, { worker });
    await expect(store.readMeta!(2)).rejects.toMatchObject({ name: 'SnapshotError', code: 'SNAPSHOT_CORRUPT', file: manifestOf(dir, 2), tick: 2 });
    expect(await store.readMeta!(1)).toEqual(bytes(1, 2, 3));
    expect(await store.readMeta!(3)).toEqual(bytes(3, 4, 5));
    await store.close();
  });
});
