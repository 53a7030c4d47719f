export const FRIENDSHIP_EVENTS = {
  /** Committed: the relationship between two users changed (request, friendship, block). */
  relationshipChanged: 'friendships.relationship-changed',
} as const;

export interface RelationshipChangedEvent {
  userIds: [string, string];
}
