/* The transport of wsload: non-blocking TCP connections on one epoll set, the client side of the WebSocket handshake,
 * masked text frames out, unmasked frames in (text, continuation, ping → pong, close). Writes are queued and flushed
 * once per turn of the event loop (ws_flush_dirty), so a batch of reads costs one write per connection. */
#ifndef WSLOAD_WS_H
#define WSLOAD_WS_H
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

enum ws_state { WS_CONNECTING, WS_UPGRADING, WS_OPEN, WS_CLOSED };

typedef struct conn conn;

/* What the workload hears about a connection. */
typedef struct {
  void (*on_open)(conn *c);                              /* handshake done: 101 received */
  void (*on_text)(conn *c, const char *msg, size_t n);   /* one whole text message */
  void (*on_closed)(conn *c, const char *why);           /* closed by the server or an error */
} ws_handler;

struct conn {
  int fd;
  enum ws_state state;
  int index;          /* the workload's number for it */
  void *user;         /* the workload's state */
  char *in;
  size_t in_len, in_cap;
  char *out;
  size_t out_len, out_off, out_cap;
  char *frag;         /* a fragmented message being assembled */
  size_t frag_len, frag_cap;
  int dirty, wants_out;
  uint32_t mask_seed;
};

void ws_init(const ws_handler *h);
/* Starts a non-blocking connect + upgrade to addr, GET path. NULL if the socket could not be created. */
conn *ws_connect(const struct sockaddr_in *addr, const char *host_header, const char *path, int index);
void ws_send_text(conn *c, const char *s, size_t n);
void ws_close(conn *c);
/* Waits for events up to timeout_ms, handles them, flushes what they queued. Returns the number of events. */
int ws_poll(int timeout_ms);
/* Flushes every connection with queued output. */
void ws_flush_dirty(void);
uint64_t now_ns(void);

#endif
