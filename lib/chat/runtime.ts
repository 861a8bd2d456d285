// The chat's parts for one web-app process: the bus every reader subscribes to and the service
// every route sends through (one of each: the service orders the writes of this process).
import { systemClock } from '../clock';
import { getDb } from '../db';
import { getEnv } from '../env';
import { AddressSlots } from '../live/address-slots';
import { InProcessChatBus, type ChatBus } from './bus';
import { SendGate } from './send-gate';
import { ChatService } from './service';

export interface ChatRuntime {
  readonly bus: ChatBus;
  readonly service: ChatService;
  /** Pop-out chat streams per client address and channel (VIEWERS_PER_ADDRESS). */
  readonly popoutSlots: AddressSlots;
}

const globalForChat = globalThis as typeof globalThis & { __onairChat?: ChatRuntime };

export function getChatRuntime(): ChatRuntime {
  globalForChat.__onairChat ??= createChatRuntime();
  return globalForChat.__onairChat;
}

function createChatRuntime(): ChatRuntime {
  const bus = new InProcessChatBus();
  const clock = systemClock;
  const env = getEnv();
  return {
    bus,
    service: new ChatService({ db: getDb(), bus, clock, gate: new SendGate({ clock, rateLimit: env.CHAT_RATE_LIMIT }) }),
    popoutSlots: new AddressSlots({ perAddress: env.VIEWERS_PER_ADDRESS }),
  };
}
