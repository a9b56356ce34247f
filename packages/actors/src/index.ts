export { Actor, bindPage, type ActorBase, type ActorInstance, type ActorKind, type ActorOptions, type FieldValue, type Fields } from './actorClass.js';
export { TICK, type Context, type Handler, type Priority, type Tick } from './context.js';
export { Cursor } from './cursor.js';
export { ActorError, type ActorErrorCode } from './errors.js';
export { field, ELEMENT_BYTES, type ElementType, type FieldKind, type FieldSpec, type Schema } from './fields.js';
export { type KindSeal } from './frameTable.js';
export { attachKindStore, KindStore, type KindStoreDescriptor, type Page, type StoredKind } from './kindStore.js';
export { type HandleSeal } from './handleTable.js';
export { DEFAULT_PAGE_SIZE, LAYOUT_VERSION, layoutOf, type ColumnArray, type ColumnLayout, type PageLayout } from './layout.js';
export { createActorRandom, type ActorRandom } from './random.js';
export { describeValue, QUOTE_LIMIT } from './describeValue.js';
export {
  assertRecordType,
  defineEvent,
  defineMessage,
  isRecordType,
  recordTypeById,
  type Decoded,
  type EventType,
  type MessageType,
  type Payload,
  type PayloadFields,
  type PayloadFieldType,
  type RecordType,
} from './records.js';
export { assertRef, isActorRef, makeRef, NO_ACTOR, refGeneration, refHandle, refKind, refSlot, type ActorRef } from './ref.js';
export { createKindRunner, type HandlerFailure, type HandlerOf, type KindRunner, type Runnable } from './runner.js';
export { Quat, Vec2, Vec3, type Vec2Like, type Vec3Like } from './vectors.js';
