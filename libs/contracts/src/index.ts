export * from './errors.js';
export * from './enums.js';
export * from './limits.js';
export * from './http/common.js';
export * from './http/auth.js';
export * from './http/users.js';
export * from './http/friends.js';
export * from './realtime/events.js';
