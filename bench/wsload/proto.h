/* The two framings wsload speaks over one raw WebSocket:
 *  noom: JSON on /signal — hello → welcome, join → joined, signal → ack (the partner gets a `signal`);
 *  sio:  engine.io 4 / socket.io 4 on /socket.io/?EIO=4&transport=websocket — "0{..}" open → "40" → "40{..}"
 *        connect; requests are emits with an ack id, 42<id>["event",{..}], answered 43<id>[{..}]; "2" ping → "3".
 * Timed signals carry "~bt<monotonic ns>;" in their payload (the Java generator's format), so latency = receive − send
 * on one clock. */
#ifndef WSLOAD_PROTO_H
#define WSLOAD_PROTO_H
#include <netinet/in.h>
#include <stdint.h>

#include "ws.h"

typedef struct client {
  conn *c;
  int index, node, next_id;
  char sid[64];   /* the session id the server gave (Noom's sessionId, socket.io's socket id) */
  char room[80];
  struct client *partner;
  uint64_t t_start, t_join;
} client;

typedef struct {
  void (*welcome)(client *cl);
  void (*joined)(client *cl);
  void (*timed)(client *cl, uint64_t stamp_ns);
  void (*ack)(client *cl);
  void (*error)(client *cl, const char *msg, size_t n);
  void (*closed)(client *cl, const char *why);
} proto_events;

/* sio: 1 for socket.io, 0 for Noom; ack: 0 = socket.io signals carry no ack id (the peer then writes no ack; Noom
 * answers every message whatever the client does). */
void proto_select(int sio, int ack);
void proto_init(const proto_events *ev);
int client_connect(client *cl, const struct sockaddr_in *addr, const char *host);
void client_join(client *cl);
/* A directed signal from `from` to `to` (in from's room) with a fresh send stamp and a payload of about `bytes`. */
void client_signal(client *from, client *to, int bytes);
void client_close(client *cl);

#endif
