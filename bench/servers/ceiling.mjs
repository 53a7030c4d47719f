// Contender C (ceiling): bare Socket.IO 4.8, no auth, room from the CONNECT payload,
// socket.to(room).emit, perMessageDeflate off, request dropped after the handshake, ack.
// Contender C+ (when DATABASE_URL is set): the same plus one INSERT … RETURNING into the
// `messages` table of the bench database per message; the ack and the broadcast follow COMMIT.
// The pool keeps its connections (pg-pool's default closes idle ones after 10 s, and reopening
// them stalled commits for up to ~0.5 s here): a ceiling should not pay for connection churn.
import { createServer } from 'node:http';
import pg from 'pg';
import { Server } from 'socket.io';

const pool = process.env.DATABASE_URL ? new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20, idleTimeoutMillis: 0 }) : null;
const seqs = new Map(); // C+: per-chat seq kept in memory (the table needs one; no chat-row update)
const http = createServer();
const io = new Server(http, { path: '/socket.io', transports: ['websocket'], perMessageDeflate: false, serveClient: false });
io.engine.on('connection', (raw) => { raw.request = null; });
io.on('connection', (socket) => {
  const { room, userId } = socket.handshake.auth;
  socket.join(room);
  socket.on('message:send', async (m, ack) => {
    if (pool) {
      const seq = (seqs.get(m.chatId) ?? 0) + 1;
      seqs.set(m.chatId, seq);
      try {
        await pool.query('INSERT INTO messages (chat_id, seq, sender_id, client_id, text) VALUES ($1, $2, $3, $4, $5) RETURNING id, created_at', [m.chatId, seq, userId, m.clientId, m.text]);
      } catch (e) {
        return ack({ ok: false, error: { code: 'DB_ERROR', message: e.message } });
      }
    }
    socket.to(room).emit('message:created', m);
    ack({ ok: true, data: { clientId: m.clientId } });
  });
});
http.listen(Number(process.env.PORT), '127.0.0.1');
