/** A message from outside the world (`engine.send`), as the SEND record the mailbox holds. */
import { isActorRef, NO_ACTOR, type ActorRef, type MessageType, type Payload, type PayloadFields, type Priority } from '@concurrengine/actors';

import { EngineError } from './errors.js';
import { SEND_HEADER } from './mailbox.js';
import { OP_SEND, PRIORITIES } from './protocol.js';

export function encodeExternalSend<F extends PayloadFields>(to: ActorRef, message: MessageType<F>, payload: Payload<F>, priority: Priority): Float64Array {
  if (!message || message.role !== 'message') throw new EngineError('ENGINE_INVALID_ARGUMENT', 'send() takes a message type made by defineMessage()');
  if (!isActorRef(to)) throw new EngineError('ENGINE_INVALID_ARGUMENT', `send(${String(to)}, ${message.name}): the recipient is not an actor ref`);
  const tier = PRIORITIES.indexOf(priority);
  if (tier < 0) throw new EngineError('ENGINE_INVALID_ARGUMENT', `send(…, ${message.name}): priority ${String(priority)} is not one of ${PRIORITIES.join(', ')}`);
  const lanes = new Float64Array(SEND_HEADER + message.lanes);
  message.encode(payload, lanes, SEND_HEADER);
  lanes.set([OP_SEND, lanes.length, message.id, NO_ACTOR, to, tier]);
  return lanes;
}
