/** A message from outside the world (`engine.send`), as the SEND record the mailbox holds. */
import { assertRecordType, describeValue, isActorRef, NO_ACTOR, type ActorRef, type MessageType, type Payload, type PayloadFields, type Priority } from '@concurrengine/actors';

import { EngineError } from './errors.js';
import { SEND_HEADER } from './messageRouting.js';
import { OP_SEND, PRIORITIES } from './protocol.js';

/**
 * Checks everything and encodes into a fresh array, so a refused send enqueues nothing.
 *
 * @throws ActorError `ACTOR_RECORD_TYPE_INVALID` (not a type `defineMessage` returned), `ACTOR_PAYLOAD_INVALID`
 * @throws EngineError `ENGINE_INVALID_ARGUMENT` (recipient or priority)
 */
export function encodeExternalSend<F extends PayloadFields>(to: ActorRef, message: MessageType<F>, payload: Payload<F>, priority: Priority): Float64Array {
  assertRecordType(message, 'message', 'send()');
  if (!isActorRef(to)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `send(${describeValue(to)}, ${message.name}): the recipient is not an actor ref`);
  const tier = PRIORITIES.indexOf(priority);
  if (tier < 0) throw new EngineError('ENGINE_INVALID_ARGUMENT', `send(…, ${message.name}): priority ${describeValue(priority)} is not one of ${PRIORITIES.join(', ')}`);
  const lanes = new Float64Array(SEND_HEADER + message.lanes);
  message.encode(payload, lanes, SEND_HEADER);
  lanes.set([OP_SEND, lanes.length, message.id, NO_ACTOR, to, tier]);
  return lanes;
}
