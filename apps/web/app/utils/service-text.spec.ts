import { describe, expect, it } from '@jest/globals';
import { serviceLine } from './service-text';

const anna = { id: 'a', name: 'Anna' };
const boris = { id: 'b', name: 'Boris' };

describe('service message lines', () => {
  it('names the actor, or uses the "you" form when it is me', () => {
    expect(serviceLine({ type: 'group-created', actor: anna, title: 'Club' }, 'b', 'you')).toEqual({ key: 'created', params: { actor: 'Anna', title: 'Club' } });
    expect(serviceLine({ type: 'group-renamed', actor: anna, title: 'X' }, 'a', 'you').key).toBe('renamedYou');
    expect(serviceLine({ type: 'member-left', actor: boris }, 'a', 'you')).toEqual({ key: 'left', params: { actor: 'Boris' } });
  });

  it('names the people acted upon, me as "you"', () => {
    expect(serviceLine({ type: 'members-added', actor: anna, users: [boris, { id: 'c', name: 'Carol' }] }, 'b', 'you').params.users).toBe('you, Carol');
    expect(serviceLine({ type: 'member-removed', actor: anna, user: boris }, 'x', 'you')).toEqual({ key: 'removed', params: { actor: 'Anna', user: 'Boris' } });
    expect(serviceLine({ type: 'role-changed', actor: anna, user: boris, role: 'admin' }, 'b', 'вас')).toEqual({ key: 'admin', params: { actor: 'Anna', user: 'вас' } });
    expect(serviceLine({ type: 'role-changed', actor: anna, user: boris, role: 'member' }, 'a', 'you').key).toBe('unadminYou');
    expect(serviceLine({ type: 'role-changed', actor: anna, user: boris, role: 'owner' }, 'b', 'you')).toEqual({ key: 'ownerYou', params: { user: 'Boris' } });
  });
});
