#define _GNU_SOURCE
#include "proto.h"

#include <stdio.h>
#include <string.h>

static int is_sio, with_ack = 1;
static const proto_events *events;

void proto_select(int sio, int ack) { is_sio = sio; with_ack = ack; }

static int starts(const char *m, size_t n, const char *p) {
  size_t l = strlen(p);
  return n >= l && memcmp(m, p, l) == 0;
}

static void send_str(client *cl, const char *s, int n) { ws_send_text(cl->c, s, (size_t)n); }

static void send_hello(client *cl) {
  char b[160];
  int n = is_sio ? snprintf(b, sizeof b, "42%d[\"hello\",{\"nickname\":\"b%d\"}]", cl->next_id++, cl->index)
                 : snprintf(b, sizeof b, "{\"type\":\"hello\",\"id\":%d,\"version\":1,\"nickname\":\"b%d\"}", cl->next_id++,
                            cl->index);
  send_str(cl, b, n);
}

void client_join(client *cl) {
  char b[200];
  int n = is_sio ? snprintf(b, sizeof b, "42%d[\"join\",{\"room\":\"%s\"}]", cl->next_id++, cl->room)
                 : snprintf(b, sizeof b, "{\"type\":\"join\",\"id\":%d,\"room\":\"%s\"}", cl->next_id++, cl->room);
  send_str(cl, b, n);
}

void client_signal(client *from, client *to, int bytes) {
  static char pad[70000];
  static char b[72000];
  if (!pad[0]) memset(pad, 'x', sizeof pad - 1);
  char head[64];
  int hl = snprintf(head, sizeof head, "{\"candidate\":\"~bt%llu;\",\"pad\":\"", (unsigned long long)now_ns());
  int padn = bytes - hl - 2;
  if (padn < 0) padn = 0;
  if (padn > (int)sizeof pad - 1) padn = (int)sizeof pad - 1;
  char id[32] = "";
  int n;
  if (is_sio) {
    if (with_ack) snprintf(id, sizeof id, "%d", from->next_id++);
    n = snprintf(b, sizeof b, "42%s[\"signal\",{\"room\":\"%s\",\"to\":\"%s\",\"kind\":\"candidate\",\"payload\":%s%.*s\"}}]",
                 id, from->room, to->sid, head, padn, pad);
  } else { /* Noom acknowledges a request only when it carries an id: ack=0 sends none */
    if (with_ack) snprintf(id, sizeof id, "\"id\":%d,", from->next_id++);
    n = snprintf(b, sizeof b,
                 "{\"type\":\"signal\",%s\"room\":\"%s\",\"to\":\"%s\",\"kind\":\"candidate\",\"payload\":%s%.*s\"}}",
                 id, from->room, to->sid, head, padn, pad);
  }
  send_str(from, b, n);
}

static uint64_t stamp_of(const char *m, size_t n) {
  const char *p = memmem(m, n, "~bt", 3);
  if (!p) return 0;
  uint64_t v = 0;
  for (p += 3; p < m + n && *p >= '0' && *p <= '9'; p++) v = v * 10 + (uint64_t)(*p - '0');
  return v;
}

static void copy_sid(client *cl, const char *m, size_t n) {
  const char *p = memmem(m, n, "\"sessionId\":\"", 13);
  if (!p) return;
  p += 13;
  size_t i = 0;
  while (p + i < m + n && p[i] != '"' && i < sizeof cl->sid - 1) { cl->sid[i] = p[i]; i++; }
  cl->sid[i] = 0;
}

/* A reply's "type" decides; the first "type" of a frame is the envelope's (payloads come after it). */
static void on_reply(client *cl, const char *m, size_t n, const char *type) {
  if (starts(type, (size_t)(m + n - type), "ack\"")) events->ack(cl);
  else if (starts(type, (size_t)(m + n - type), "welcome\"")) { copy_sid(cl, m, n); events->welcome(cl); }
  else if (starts(type, (size_t)(m + n - type), "joined\"")) events->joined(cl);
  else if (starts(type, (size_t)(m + n - type), "error\"")) events->error(cl, m, n);
}

static void on_noom(client *cl, const char *m, size_t n) {
  const char *t = memmem(m, n, "\"type\":\"", 8);
  if (!t) { events->error(cl, m, n); return; }
  t += 8;
  if (starts(t, (size_t)(m + n - t), "signal\"")) {
    uint64_t s = stamp_of(m, n);
    if (s) events->timed(cl, s);
    return;
  }
  on_reply(cl, m, n, t);
}

static void on_sio(client *cl, const char *m, size_t n) {
  if (n == 1 && m[0] == '2') { send_str(cl, "3", 1); return; }
  if (starts(m, n, "42")) {
    if (starts(m, n, "42[\"signal\"")) { uint64_t s = stamp_of(m, n); if (s) events->timed(cl, s); }
    return; /* member-joined and other events */
  }
  if (starts(m, n, "43")) {
    const char *t = memmem(m, n, "\"type\":\"", 8);
    if (t) on_reply(cl, m, n, t + 8);
    return;
  }
  if (starts(m, n, "0{")) { send_str(cl, "40", 2); return; }
  if (starts(m, n, "40")) { send_hello(cl); return; }
  if (starts(m, n, "44") || starts(m, n, "41")) events->error(cl, m, n); /* connect error, disconnect */
}

static void ws_open(conn *c) {
  client *cl = c->user;
  if (!is_sio) send_hello(cl); /* socket.io: after "0" open and "40" connect */
}

static void ws_text(conn *c, const char *m, size_t n) {
  if (is_sio) on_sio(c->user, m, n); else on_noom(c->user, m, n);
}

static void ws_closed(conn *c, const char *why) { events->closed(c->user, why); }

static const ws_handler handler = {ws_open, ws_text, ws_closed};

void proto_init(const proto_events *ev) {
  events = ev;
  ws_init(&handler);
}

int client_connect(client *cl, const struct sockaddr_in *addr, const char *host) {
  cl->next_id = 1;
  cl->c = ws_connect(addr, host, is_sio ? "/socket.io/?EIO=4&transport=websocket" : "/signal", cl->index);
  if (!cl->c) return 0;
  cl->c->user = cl;
  return 1;
}

void client_close(client *cl) {
  if (cl->c) ws_close(cl->c);
}
