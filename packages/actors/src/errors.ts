/** Every way the actors package refuses input, as a stable code (public API; messages are not). */
export type ActorErrorCode =
  | 'ACTOR_SCHEMA_INVALID'
  | 'ACTOR_KIND_UNREGISTERED'
  | 'ACTOR_KIND_DUPLICATE'
  | 'ACTOR_FIELD_TYPE'
  | 'ACTOR_FIELD_UNKNOWN'
  | 'ACTOR_REF_STALE'
  | 'ACTOR_REF_INVALID'
  | 'ACTOR_CAPACITY'
  | 'ACTOR_PAYLOAD_INVALID'
  | 'ACTOR_RECORD_TYPE_INVALID'
  | 'ACTOR_LAYOUT_MISMATCH'
  | 'ACTOR_ORDER_INVALID';

/** A typed error of the actors package; `code` says what, the message says where and what was expected. */
export class ActorError extends Error {
  override readonly name = 'ActorError';
  constructor(
    readonly code: ActorErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
