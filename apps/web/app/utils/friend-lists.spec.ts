import { describe, expect, it } from '@jest/globals';
import { dropRequest, emptyLists, mergePage, placeRelationship, type FriendLists } from './friend-lists';

function loaded(): FriendLists {
  const lists = emptyLists();
  for (const state of Object.values(lists)) state.loaded = true;
  return lists;
}

const ids = (lists: FriendLists) => Object.fromEntries(Object.entries(lists).map(([k, s]) => [k, s.entries.map((e) => e.userId)]));

describe('friend lists', () => {
  it('moves a user to the list of their new relationship, on top, and out of the others', () => {
    const lists = loaded();
    lists.friends.entries = [{ userId: 'x', at: '1' }];
    placeRelationship(lists, { userId: 'b', relationship: 'request_received', visible: true, at: '2', requestId: 'r1' });
    expect(ids(lists)).toEqual({ friends: ['x'], incoming: ['b'], outgoing: [], blocked: [] });
    expect(lists.incoming.entries[0]?.requestId).toBe('r1');

    placeRelationship(lists, { userId: 'b', relationship: 'friends', visible: true, at: '3' });
    expect(ids(lists)).toEqual({ friends: ['b', 'x'], incoming: [], outgoing: [], blocked: [] });

    placeRelationship(lists, { userId: 'b', relationship: 'blocked', visible: true, at: '4' });
    expect(ids(lists)).toEqual({ friends: ['x'], incoming: [], outgoing: [], blocked: ['b'] });

    placeRelationship(lists, { userId: 'b', relationship: 'none', visible: true, at: '5' });
    expect(ids(lists)).toEqual({ friends: ['x'], incoming: [], outgoing: [], blocked: [] });
  });

  it('is idempotent: the API answer and the socket event of one change leave one row', () => {
    const lists = loaded();
    placeRelationship(lists, { userId: 'b', relationship: 'friends', visible: true, at: '1' });
    placeRelationship(lists, { userId: 'b', relationship: 'friends', visible: true, at: '2' });
    expect(lists.friends.entries).toEqual([{ userId: 'b', at: '1' }]);
  });

  it('drops a user who became invisible (they blocked the viewer) from every list', () => {
    const lists = loaded();
    lists.friends.entries = [{ userId: 'b', at: '1' }];
    placeRelationship(lists, { userId: 'b', relationship: 'none', visible: false, at: '2' });
    placeRelationship(lists, { userId: 'c', relationship: 'friends', visible: false, at: '2' });
    expect(ids(lists).friends).toEqual([]);
  });

  it('leaves lists that were never loaded alone (they load in full when shown)', () => {
    const lists = emptyLists();
    placeRelationship(lists, { userId: 'b', relationship: 'request_sent', visible: true, at: '1' });
    expect(lists.outgoing.entries).toEqual([]);
    expect(lists.outgoing.loaded).toBe(false);
  });

  it('removes an ended request by its id only', () => {
    const lists = loaded();
    lists.incoming.entries = [{ userId: 'b', at: '1', requestId: 'r1' }, { userId: 'c', at: '1', requestId: 'r2' }];
    lists.outgoing.entries = [{ userId: 'd', at: '1', requestId: 'r3' }];
    dropRequest(lists, 'r1');
    dropRequest(lists, 'r3');
    dropRequest(lists, 'nope');
    expect(ids(lists)).toMatchObject({ incoming: ['c'], outgoing: [] });
  });

  it('replaces on a first page and appends the next ones without duplicates', () => {
    const { friends } = emptyLists();
    mergePage(friends, [{ userId: 'a', at: '3' }, { userId: 'b', at: '2' }], 'c1', false);
    expect(friends).toMatchObject({ loaded: true, cursor: 'c1' });
    mergePage(friends, [{ userId: 'b', at: '2' }, { userId: 'c', at: '1' }], null, true);
    expect(friends.entries.map((e) => e.userId)).toEqual(['a', 'b', 'c']);
    expect(friends.cursor).toBeNull();
    mergePage(friends, [{ userId: 'z', at: '9' }], 'c2', false);
    expect(friends.entries.map((e) => e.userId)).toEqual(['z']);
  });
});
