import type TestAgent from 'supertest/lib/agent.js';
import type { CountersView, FriendRequestView, FriendView, PrivacySettings, UpdateProfileRequest, UserView } from '@app/contracts';
import { bearer, type Registered } from './factories.js';

/** Helpers for the social graph: each asserts the happy status, so a broken step fails loudly. */
export const idOf = (u: Registered): string => u.auth.user.id;

export async function sendRequest(http: TestAgent, from: Registered, to: Registered): Promise<FriendRequestView> {
  const res = await http.post('/api/friends/requests').set(...bearer(from.token)).send({ userId: idOf(to) }).expect(201);
  return res.body as FriendRequestView;
}

export async function acceptRequest(http: TestAgent, by: Registered, requestId: string): Promise<FriendView> {
  return (await http.post(`/api/friends/requests/${requestId}/accept`).set(...bearer(by.token)).expect(200)).body as FriendView;
}

export async function befriend(http: TestAgent, a: Registered, b: Registered): Promise<void> {
  const request = await sendRequest(http, a, b);
  await acceptRequest(http, b, request.id);
}

export async function block(http: TestAgent, blocker: Registered, blocked: Registered): Promise<void> {
  await http.put(`/api/blocks/${idOf(blocked)}`).set(...bearer(blocker.token)).expect(204);
}

export async function setPrivacy(http: TestAgent, u: Registered, privacy: Partial<PrivacySettings>): Promise<void> {
  await http.patch('/api/users/me/privacy').set(...bearer(u.token)).send(privacy).expect(200);
}

export async function setProfile(http: TestAgent, u: Registered, profile: UpdateProfileRequest): Promise<void> {
  await http.patch('/api/users/me').set(...bearer(u.token)).send(profile).expect(200);
}

export async function counters(http: TestAgent, u: Registered): Promise<number> {
  return ((await http.get('/api/me/counters').set(...bearer(u.token)).expect(200)).body as CountersView).friendRequests;
}

/** The other user's profile as `viewer` sees it, or the status when it is not 200. */
export async function profileAs(http: TestAgent, viewer: Registered, owner: Registered): Promise<UserView> {
  return (await http.get(`/api/users/by-username/${owner.request.username}`).set(...bearer(viewer.token)).expect(200)).body as UserView;
}

export async function relationshipOf(http: TestAgent, viewer: Registered, other: Registered): Promise<string | undefined> {
  const res = await http.get('/api/users/relationships').query({ ids: idOf(other) }).set(...bearer(viewer.token)).expect(200);
  return (res.body as Record<string, string>)[idOf(other)];
}

/** A syntactically valid id nobody has. */
export const MISSING_ID = '00000000-0000-4000-8000-000000000000';

/** The exact bytes a missing object answers with. */
export const NOT_FOUND_TEXT = JSON.stringify({ error: { code: 'NOT_FOUND', message: 'Not found' } });
