import { toMediaView, withSpoilersHidden, type LinkPreviewView, type MessageEntity, type MediaViewSource, type MessageView, type ReactionView, type ServiceAction } from '@app/contracts';

/** A stored link card as the message query builds it (width/height null when it has no image). */
export interface PreviewSource {
  id: string;
  url: string;
  title: string | null;
  description: string | null;
  siteName: string | null;
  width: number | null;
  height: number | null;
}

export function toPreviewView(p: PreviewSource): LinkPreviewView {
  return {
    url: p.url,
    title: p.title,
    description: p.description,
    siteName: p.siteName,
    image: p.width && p.height ? { url: `/api/link-previews/${p.id}/image`, width: p.width, height: p.height } : null,
  };
}

/** One row of the message query in message-views.repository.ts. */
export interface MessageRow {
  id: string;
  chat_id: string;
  seq: string;
  sender_id: string;
  client_id: string;
  text: string | null;
  entities: MessageEntity[];
  service: ServiceAction | null;
  mentions: string[];
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  reply_id: string | null;
  reply_seq: string | null;
  reply_sender_id: string | null;
  reply_sender_name: string | null;
  reply_text: string | null;
  reply_entities: MessageEntity[] | null;
  fwd_sent_at: Date | null;
  fwd_user_id: string | null;
  fwd_name: string | null;
  reactions: ReactionView[] | null;
  /** Built in SQL from the media table, in the order sent. */
  attachments: MediaViewSource[];
  preview: PreviewSource | null;
  listened_by: string[];
}

const EXCERPT = 140;

/** A quoted message as the reply shows it (the text is null once the original is deleted). */
export interface QuoteRow {
  id: string;
  seq: string;
  sender_id: string;
  sender_name: string | null;
  text: string | null;
  entities: MessageEntity[] | null;
}

/** The quote's excerpt is plain text with its spoilers hidden. */
export function toQuote(q: QuoteRow): NonNullable<MessageView['replyTo']> {
  const excerpt = q.text === null ? null : withSpoilersHidden(q.text, q.entities ?? []).slice(0, EXCERPT);
  return { id: q.id, seq: Number(q.seq), senderId: q.sender_id, senderName: q.sender_name ?? '', excerpt };
}

export function toMessageView(r: MessageRow): MessageView {
  const deleted = r.deleted_at !== null;
  return {
    id: r.id,
    chatId: r.chat_id,
    seq: Number(r.seq),
    senderId: r.sender_id,
    clientId: r.client_id,
    text: deleted ? null : r.text,
    entities: deleted || r.text === null ? [] : r.entities,
    service: r.service,
    replyTo:
      r.reply_id && r.reply_seq && r.reply_sender_id
        ? toQuote({ id: r.reply_id, seq: r.reply_seq, sender_id: r.reply_sender_id, sender_name: r.reply_sender_name, text: r.reply_text, entities: r.reply_entities })
        : null,
    forwardedFrom: r.fwd_sent_at ? { userId: r.fwd_user_id, name: r.fwd_user_id ? r.fwd_name : null, sentAt: r.fwd_sent_at.toISOString() } : null,
    mentions: deleted ? [] : r.mentions,
    reactions: deleted ? [] : (r.reactions ?? []),
    attachments: deleted ? [] : r.attachments.map(toMediaView),
    preview: deleted || !r.preview ? null : toPreviewView(r.preview),
    listenedBy: deleted ? [] : r.listened_by,
    createdAt: r.created_at.toISOString(),
    editedAt: r.edited_at?.toISOString() ?? null,
    deletedAt: r.deleted_at?.toISOString() ?? null,
  };
}
