// The peer for the Noom benchmark: socket.io 4 (websocket transport only, perMessageDeflate off), optionally with
// @socket.io/redis-adapter (REDIS_URL set; its sharded adapter on a Redis Cluster with REDIS_CLUSTER set), doing the
// same work as a Noom node: hello, join a room (members list, member-joined to the others), relay a directed signal
// (to a socket id), broadcast chat to the room (sender included), acknowledging every request as Noom does.
// GET /bench/mem runs a full GC (node --expose-gc) and returns memoryUsage().
const http = require("http");
const { Server } = require("socket.io");

const port = parseInt(process.env.PORT || "3000", 10);
const redisUrl = process.env.REDIS_URL || "";
const redisCluster = process.env.REDIS_CLUSTER || ""; // host:port,… of a Redis Cluster: the sharded adapter instead
const nodeId = process.env.NODE_ID || "peer";

const httpServer = http.createServer((req, res) => {
  if (req.url === "/bench/mem") {
    if (global.gc) { global.gc(); global.gc(); }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ...process.memoryUsage(), sockets: io.engine.clientsCount }));
    return;
  }
  if (req.url === "/health") { res.writeHead(200); res.end("ok"); return; }
  // socket.io handles /socket.io/ itself; anything else is 404
  if (!req.url.startsWith("/socket.io/")) { res.writeHead(404); res.end(); }
});

const io = new Server(httpServer, {
  transports: ["websocket"],
  perMessageDeflate: false,
  httpCompression: false,
  serveClient: false,
  maxHttpBufferSize: 262144,
  pingInterval: 25000,
  pingTimeout: 60000,
});

function memberOf(socket) {
  return { id: socket.id, nickname: socket.data.nickname, media: { audioMuted: false, videoOff: false, screen: false } };
}

io.on("connection", (socket) => {
  socket.data.nickname = "Guest";
  socket.on("hello", (msg, cb) => {
    socket.data.nickname = String(msg && msg.nickname || "Guest").slice(0, 32);
    if (typeof cb === "function") cb({ type: "welcome", sessionId: socket.id, resumed: false });
  });
  socket.on("join", async (msg, cb) => {
    const room = String(msg && msg.room || "");
    if (!room || socket.rooms.has(room)) { if (typeof cb === "function") cb({ type: "error", code: "bad_room_name" }); return; }
    let others = [];
    try {
      const sockets = await io.in(room).fetchSockets(); // cross-node with the Redis adapter
      if (sockets.length >= 6) { if (typeof cb === "function") cb({ type: "error", code: "room_full" }); return; }
      others = sockets.map((s) => ({ id: s.id, nickname: s.data.nickname }));
    } catch (e) { /* adapter timeout: join anyway */ }
    socket.join(room);
    socket.to(room).emit("member-joined", { room, member: memberOf(socket) });
    if (typeof cb === "function") cb({ type: "joined", room, memberId: socket.id, members: others });
  });
  socket.on("signal", (msg, cb) => {
    if (!msg || !socket.rooms.has(msg.room)) { if (typeof cb === "function") cb({ type: "error", code: "not_in_room" }); return; }
    io.to(msg.to).emit("signal", { room: msg.room, from: socket.id, kind: msg.kind, payload: msg.payload });
    if (typeof cb === "function") cb({ type: "ack" });
  });
  socket.on("chat", (msg, cb) => {
    if (!msg || !socket.rooms.has(msg.room)) { if (typeof cb === "function") cb({ type: "error", code: "not_in_room" }); return; }
    io.to(msg.room).emit("chat", { room: msg.room, from: socket.id, nickname: socket.data.nickname, text: msg.text, ts: Date.now() });
    if (typeof cb === "function") cb({ type: "ack" });
  });
  socket.on("disconnecting", () => {
    for (const room of socket.rooms) if (room !== socket.id) socket.to(room).emit("member-left", { room, memberId: socket.id });
  });
});

async function main() {
  if (redisCluster) {
    // The sharded adapter (SPUBLISH/SSUBSCRIBE, Redis >= 7) on a node-redis cluster client: socket.io's counterpart of
    // Noom's REDIS_CLUSTER. subscriptionMode "dynamic-private" (SIO_SUBSCRIPTION_MODE to change it): a channel per room
    // and per socket, each on its own shard. With the default "dynamic" a signal to a socket id goes out on the
    // namespace's one channel, so every directed signal lands on a single shard: the mode socket.io's documentation
    // recommends for "lots of 1:1 communication", which is what the pairs rows are.
    const { createCluster } = require("redis");
    const { createShardedAdapter } = require("@socket.io/redis-adapter");
    const pub = createCluster({ rootNodes: redisCluster.split(",").map((hostPort) => ({ url: `redis://${hostPort}` })) });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createShardedAdapter(pub, sub, { subscriptionMode: process.env.SIO_SUBSCRIPTION_MODE || "dynamic-private" }));
  } else if (redisUrl) {
    const { createClient } = require("redis");
    const { createAdapter } = require("@socket.io/redis-adapter");
    const pub = createClient({ url: redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
  }
  httpServer.listen(port, "127.0.0.1", () => console.log(`peer ${nodeId} listening on ${port}${redisCluster ? " with the sharded redis adapter" : redisUrl ? " with redis adapter" : ""}`));
}
main().catch((e) => { console.error(e); process.exit(1); });
