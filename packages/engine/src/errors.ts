/** Every way the engine refuses an operation, as a stable code (public API; messages are not). */
export type EngineErrorCode =
  | 'ENGINE_INVALID_ARGUMENT'
  | 'ENGINE_KIND_UNREGISTERED'
  | 'ENGINE_KIND_DUPLICATE'
  | 'ENGINE_NOT_RUNNING'
  | 'ENGINE_BUSY'
  | 'ENGINE_CLOSED'
  | 'ENGINE_INBOX_FULL'
  | 'ENGINE_OUTBOX_CORRUPT'
  | 'ENGINE_NO_SPATIAL_INDEX'
  | 'ENGINE_WORKER_LOST'
  | 'ENGINE_STATE'
  | 'ENGINE_NO_RETENTION'
  | 'ENGINE_TICK_NOT_RETAINED'
  | 'ENGINE_SNAPSHOT_INVALID'
  | 'ENGINE_SNAPSHOT_INCOMPATIBLE'
  | 'ENGINE_REPLAY_INPUTS_UNREADABLE'
  | 'ENGINE_SUPERVISION_ESCALATED';

/** A typed engine error; `code` says what, the message says where and what was expected. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
