// In-repo development only (never in dist): when the exporter runs from src/ (vitest resolves the
// package through the "@concurrengine/source" condition), Node 20 cannot start a worker from a .ts
// file, so this bootstrap registers tsx in the worker thread and then imports the real entry.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
