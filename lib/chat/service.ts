// What people do in a channel's chat: send, and (owner, moderators, site admins) delete, time out,
// ban and unban. Checks run in the contract's order of meaning (rights and sanctions, room, text,
// gate); writes to the event sequence run one at a time per process and are published right after
// their commit, so the order readers see is the order of the ids (Last-Event-ID relies on it).
import type { Clock } from '../clock';
import type { Db } from '../db';
import { AppError } from '../errors';
import { PublishedEvent } from '../live/published-event';
import type { ChatMessageView } from '../live/types';
import type { ChatBus } from './bus';
import type { ChatChannel } from './channel';
import { CHAT_MAX_LENGTH } from './limits';
import { badgesOf, canModerate, chatRoleOf } from './rights';
import { chatRoomState, closedMessage } from './room';
import type { GateRefusal, SendGate } from './send-gate';
import {
  banChatUser,
  chatMessageIdsOf,
  deleteChatMessages,
  findChatMessage,
  findChatSanction,
  insertChatMessage,
  timeOutChatUser,
  unbanChatUser,
} from './store';
import { validateChatText } from './text';

export interface ChatUser {
  readonly id: string;
  readonly isAdmin: boolean;
}

export interface ChatServiceOptions {
  readonly db: Db;
  readonly bus: ChatBus;
  readonly clock: Clock;
  readonly gate: SendGate;
}

export class ChatService {
  private readonly db: Db;
  private readonly bus: ChatBus;
  private readonly clock: Clock;
  private readonly gate: SendGate;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(options: ChatServiceOptions) {
    this.db = options.db;
    this.bus = options.bus;
    this.clock = options.clock;
    this.gate = options.gate;
  }

  async send(user: ChatUser, channel: ChatChannel, rawText: string): Promise<ChatMessageView> {
    const role = await chatRoleOf(this.db, channel, user);
    const privileged = canModerate(role);
    if (!privileged) {
      const sanction = await findChatSanction(this.db, channel.id, user.id, new Date(this.clock.now()));
      if (sanction?.kind === 'ban') throw new AppError('forbidden', 'You are banned from this chat.');
      if (sanction?.kind === 'timeout') {
        const minutes = Math.max(1, Math.ceil((sanction.until.getTime() - this.clock.now()) / 60_000));
        // Worded exactly as the contract (issue 16) fixes it, which clients and tests match on.
        throw new AppError('forbidden', `You are timed out for ${minutes} more minutes.`);
      }
    }
    if (!chatRoomState(channel, channel.isLive).open) throw new AppError('forbidden', closedMessage(channel.mode));
    const text = validateChatText(rawText, CHAT_MAX_LENGTH);
    if (!text.ok) throw new AppError('unprocessable_entity', text.message);
    const refusal = this.gate.admit({
      userId: user.id,
      channelId: channel.id,
      text: text.text,
      slowModeSeconds: channel.slowModeSeconds,
      exemptFromSlowMode: privileged,
    });
    if (refusal) throw refusalError(refusal);
    return this.serially(async () => {
      const message = await insertChatMessage(this.db, { channelId: channel.id, userId: user.id, text: text.text, badges: badgesOf(role) });
      this.bus.publish(channel.id, new PublishedEvent('chat-message', message, Number(message.id)));
      return message;
    });
  }

  async deleteMessage(user: ChatUser, channel: ChatChannel, messageId: number): Promise<void> {
    await this.requireModerator(user, channel);
    const message = await findChatMessage(this.db, channel.id, messageId);
    if (!message) throw new AppError('not_found', 'No such message.');
    await this.deleteAndPublish(channel, [messageId]);
  }

  async timeOut(user: ChatUser, channel: ChatChannel, targetUserId: string, minutes: number): Promise<void> {
    await this.requireModerator(user, channel);
    await this.requireSanctionable(channel, targetUserId);
    await timeOutChatUser(this.db, channel.id, targetUserId, new Date(this.clock.now() + minutes * 60_000));
  }

  async ban(user: ChatUser, channel: ChatChannel, targetUserId: string, purge: boolean): Promise<void> {
    await this.requireModerator(user, channel);
    await this.requireSanctionable(channel, targetUserId);
    await banChatUser(this.db, channel.id, targetUserId);
    if (purge) await this.deleteAndPublish(channel, await chatMessageIdsOf(this.db, channel.id, targetUserId));
  }

  async unban(user: ChatUser, channel: ChatChannel, targetUserId: string): Promise<void> {
    await this.requireModerator(user, channel);
    await unbanChatUser(this.db, channel.id, targetUserId);
  }

  /** Tells every reader of the channel its room's new settings (dashboard). */
  roomChanged(channel: ChatChannel): void {
    this.bus.publish(channel.id, new PublishedEvent('chat-room', chatRoomState(channel, channel.isLive)));
  }

  private async deleteAndPublish(channel: ChatChannel, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.serially(async () => {
      const events = await deleteChatMessages(this.db, channel.id, ids);
      for (const event of events) this.bus.publish(channel.id, new PublishedEvent('chat-delete', { ids: event.ids }, event.id));
    });
  }

  private async requireModerator(user: ChatUser, channel: ChatChannel): Promise<void> {
    if (!canModerate(await chatRoleOf(this.db, channel, user))) {
      throw new AppError('forbidden', 'Only the streamer, moderators and site admins can moderate this chat.');
    }
  }

  private async requireSanctionable(channel: ChatChannel, targetUserId: string): Promise<void> {
    const target = await this.db.user.findUnique({ where: { id: targetUserId }, select: { id: true, isAdmin: true } });
    if (!target) throw new AppError('not_found', 'No such user.');
    if (canModerate(await chatRoleOf(this.db, channel, target))) {
      throw new AppError('forbidden', 'The streamer, moderators and site admins cannot be timed out or banned here.');
    }
  }

  /** Runs writes to the event sequence one after another, each published before the next starts. */
  private serially<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function refusalError(refusal: GateRefusal): AppError {
  if (refusal.kind === 'duplicate') return new AppError('conflict', 'You just sent that message.');
  const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
  const message =
    refusal.kind === 'slow-mode'
      ? `Slow mode is on: you can send again in ${seconds} second${seconds === 1 ? '' : 's'}.`
      : `You are sending messages too fast. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  return new AppError('rate_limited', message, { retryAfterSeconds: seconds });
}
