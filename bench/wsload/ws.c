#define _GNU_SOURCE
#include "ws.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const ws_handler *handler;
static int epfd = -1;
static conn **dirty;
static size_t dirty_len, dirty_cap;

uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void *grow(void *p, size_t *cap, size_t need) {
  if (need <= *cap) return p;
  size_t c = *cap ? *cap : 1024;
  while (c < need) c *= 2;
  p = realloc(p, c);
  if (!p) { perror("realloc"); exit(2); }
  *cap = c;
  return p;
}

void ws_init(const ws_handler *h) {
  handler = h;
  epfd = epoll_create1(0);
  if (epfd < 0) { perror("epoll_create1"); exit(2); }
}

static void set_events(conn *c, int out) {
  struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0), .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
  c->wants_out = out;
}

static void queue_raw(conn *c, const char *s, size_t n) {
  c->out = grow(c->out, &c->out_cap, c->out_len + n);
  memcpy(c->out + c->out_len, s, n);
  c->out_len += n;
  if (!c->dirty) {
    dirty = grow(dirty, &dirty_cap, (dirty_len + 1) * sizeof *dirty);
    dirty[dirty_len++] = c;
    c->dirty = 1;
  }
}

conn *ws_connect(const struct sockaddr_in *addr, const char *host_header, const char *path, int index) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) { perror("socket"); return NULL; }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  conn *c = calloc(1, sizeof *c);
  c->fd = fd;
  c->index = index;
  c->state = WS_CONNECTING;
  c->mask_seed = 0x9e3779b9u ^ (uint32_t)index * 2654435761u;
  if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0 && errno != EINPROGRESS) {
    perror("connect");
    close(fd);
    free(c);
    return NULL;
  }
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
  epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
  c->wants_out = 1;
  char req[512];
  int n = snprintf(req, sizeof req,
                   "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                   path, host_header);
  queue_raw(c, req, (size_t)n); /* written once the connect completes (EPOLLOUT) */
  return c;
}

static uint32_t next_mask(conn *c) { /* xorshift: masks must vary; they need not be secret here */
  uint32_t x = c->mask_seed;
  x ^= x << 13; x ^= x >> 17; x ^= x << 5;
  return c->mask_seed = x ? x : 1;
}

static void queue_frame(conn *c, int opcode, const char *s, size_t n) {
  if (c->state == WS_CLOSED) return;
  unsigned char h[14];
  size_t hl = 2;
  h[0] = (unsigned char)(0x80 | opcode);
  if (n < 126) h[1] = (unsigned char)(0x80 | n);
  else if (n < 65536) { h[1] = 0x80 | 126; h[2] = (unsigned char)(n >> 8); h[3] = (unsigned char)n; hl = 4; }
  else {
    h[1] = 0x80 | 127;
    for (int i = 0; i < 8; i++) h[2 + i] = (unsigned char)((uint64_t)n >> (56 - 8 * i));
    hl = 10;
  }
  uint32_t m = next_mask(c);
  memcpy(h + hl, &m, 4);
  hl += 4;
  queue_raw(c, (const char *)h, hl);
  c->out = grow(c->out, &c->out_cap, c->out_len + n);
  unsigned char *dst = (unsigned char *)c->out + c->out_len;
  const unsigned char *mk = (const unsigned char *)&m;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) { /* four bytes at a time: the mask repeats every four */
    uint32_t w;
    memcpy(&w, s + i, 4);
    w ^= m;
    memcpy(dst + i, &w, 4);
  }
  for (; i < n; i++) dst[i] = (unsigned char)s[i] ^ mk[i & 3];
  c->out_len += n;
}

void ws_send_text(conn *c, const char *s, size_t n) { queue_frame(c, 1, s, n); }

static void drop(conn *c, const char *why) {
  if (c->state == WS_CLOSED) return;
  c->state = WS_CLOSED;
  epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
  close(c->fd);
  c->fd = -1;
  c->out_len = c->out_off = 0;
  if (why && handler->on_closed) handler->on_closed(c, why);
}

void ws_close(conn *c) {
  if (c->state == WS_CLOSED) return;
  if (c->state == WS_OPEN) {
    queue_frame(c, 8, "\x03\xe8", 2); /* 1000 normal closure */
    if (c->out_len > c->out_off) (void)!write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
  }
  drop(c, NULL);
}

static void flush(conn *c) {
  c->dirty = 0;
  if (c->state == WS_CLOSED || c->state == WS_CONNECTING) return; /* connecting: EPOLLOUT writes it */
  while (c->out_off < c->out_len) {
    ssize_t w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
    if (w < 0) {
      if (errno == EAGAIN) { if (!c->wants_out) set_events(c, 1); return; }
      drop(c, strerror(errno));
      return;
    }
    c->out_off += (size_t)w;
  }
  c->out_off = c->out_len = 0;
  if (c->wants_out) set_events(c, 0);
}

void ws_flush_dirty(void) {
  for (size_t i = 0; i < dirty_len; i++) flush(dirty[i]);
  dirty_len = 0;
}

static void on_message(conn *c, int opcode, int fin, const char *p, size_t n) {
  if (opcode == 9) { queue_frame(c, 10, p, n); return; }
  if (opcode == 10) return;
  if (opcode == 8) { drop(c, "close frame from the server"); return; }
  if (opcode == 2) { drop(c, "binary frame from the server"); return; }
  if (opcode == 1 && fin && c->frag_len == 0) { handler->on_text(c, p, n); return; }
  c->frag = grow(c->frag, &c->frag_cap, c->frag_len + n);
  memcpy(c->frag + c->frag_len, p, n);
  c->frag_len += n;
  if (fin) { size_t l = c->frag_len; c->frag_len = 0; handler->on_text(c, c->frag, l); }
}

/* Parses every whole frame in the input buffer; keeps a partial one. */
static void parse_frames(conn *c) {
  size_t off = 0;
  while (c->state == WS_OPEN && c->in_len - off >= 2) {
    const unsigned char *b = (const unsigned char *)c->in + off;
    size_t avail = c->in_len - off, hl = 2;
    uint64_t len = b[1] & 0x7f;
    if (b[1] & 0x80) { drop(c, "masked frame from the server"); return; }
    if (len == 126) { if (avail < 4) break; len = (uint64_t)b[2] << 8 | b[3]; hl = 4; }
    else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | b[2 + i];
      hl = 10;
    }
    if (avail < hl + len) break;
    on_message(c, b[0] & 0x0f, b[0] & 0x80, (const char *)b + hl, (size_t)len);
    off += hl + (size_t)len;
  }
  if (c->state == WS_CLOSED) return;
  memmove(c->in, c->in + off, c->in_len - off);
  c->in_len -= off;
}

static void finish_upgrade(conn *c) {
  char *end = memmem(c->in, c->in_len, "\r\n\r\n", 4);
  if (!end) return;
  if (c->in_len < 12 || memcmp(c->in + 9, "101", 3) != 0) {
    char line[128];
    size_t l = strcspn(c->in, "\r\n");
    snprintf(line, sizeof line, "upgrade refused: %.*s", (int)(l < 100 ? l : 100), c->in);
    drop(c, line);
    return;
  }
  size_t hl = (size_t)(end - c->in) + 4;
  memmove(c->in, c->in + hl, c->in_len - hl);
  c->in_len -= hl;
  c->state = WS_OPEN;
  handler->on_open(c);
}

static void readable(conn *c) {
  for (;;) {
    c->in = grow(c->in, &c->in_cap, c->in_len + 16384);
    size_t space = c->in_cap - c->in_len;
    ssize_t r = read(c->fd, c->in + c->in_len, space);
    if (r == 0) { drop(c, "connection closed by the server"); return; }
    if (r < 0) {
      if (errno == EAGAIN) break;
      drop(c, strerror(errno));
      return;
    }
    c->in_len += (size_t)r;
    if ((size_t)r < space) break; /* a short read: the socket is drained, no need for the EAGAIN read */
  }
  if (c->state == WS_UPGRADING) finish_upgrade(c);
  if (c->state == WS_OPEN) parse_frames(c);
}

static void writable(conn *c) {
  if (c->state == WS_CONNECTING) {
    int err = 0;
    socklen_t l = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
    if (err) { drop(c, strerror(err)); return; }
    c->state = WS_UPGRADING;
  }
  flush(c);
}

int ws_poll(int timeout_ms) {
  struct epoll_event evs[1024];
  int n = epoll_wait(epfd, evs, 1024, timeout_ms);
  if (n < 0 && errno != EINTR) { perror("epoll_wait"); exit(2); }
  for (int i = 0; i < n; i++) {
    conn *c = evs[i].data.ptr;
    if (c->state == WS_CLOSED) continue;
    if (evs[i].events & EPOLLOUT) writable(c);
    if (c->state != WS_CLOSED && (evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
      if (c->state == WS_CONNECTING) writable(c);
      if (c->state != WS_CLOSED) readable(c);
    }
  }
  ws_flush_dirty();
  return n < 0 ? 0 : n;
}
