import { Global, Module } from '@nestjs/common';
import { LAST_MESSAGES } from '../chats/last-messages.js';
import { MessageViewsRepository } from './message-views.repository.js';

/**
 * The message read model. Global so that the chats module gets the chat list's last messages
 * through its LastMessages port without importing the messages module (which imports chats).
 */
@Global()
@Module({
  providers: [MessageViewsRepository, { provide: LAST_MESSAGES, useExisting: MessageViewsRepository }],
  exports: [MessageViewsRepository, LAST_MESSAGES],
})
export class MessageViewsModule {}
