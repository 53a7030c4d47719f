// The load profiles and the contenders of METHOD.md.
export const PROFILES = {
  P1: { users: 5000, roomSize: 10, perUserPerS: 1 / 60, title: 'team chat' },
  P2: { users: 2000, roomSize: 10, perUserPerS: 0.5, title: 'busy' },
};

/** C: a relay (ceiling); C+: the relay with one INSERT per message; O: our server. */
export const CONTENDERS = {
  C: { ports: 4101, db: false, auth: 'room', payload: 'relay', echo: false },
  'C+': { ports: 4102, db: true, auth: 'room', payload: 'relay', echo: false },
  O: { ports: 4103, db: true, auth: 'token', payload: 'chat-event', echo: true },
};
