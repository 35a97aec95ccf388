/* wsload: the Noom benchmark's load generator in C. One thread, one epoll set, non-blocking sockets; it speaks Noom's
 * JSON protocol on /signal and socket.io 4 / engine.io 4 over a raw WebSocket with the same code, so both stacks are
 * driven by the same client at the same cost. It must stay well under its own core: it reports its CPU beside every row.
 *
 *   wsload pairs proto=noom|sio urls=h:p[,h:p] pairs=50 window=1 bytes=64 warmup=2 secs=5 [pids=a,b] [ack=1] [wl=..]
 *     closed loop: each pair keeps `window` directed signals in flight; whoever receives one sends the next to its
 *     partner (member 0 of a pair on urls[0], member 1 on urls[1 % n]: two urls = every pair crosses nodes).
 *   wsload storm proto=noom|sio urls=h:p[,h:p] n=5000 window=500 [pids=..] [wl=..]
 *     join storm: n clients connect + hello + join rooms of 2, `window` in flight.
 * Output: one line "RESULT {json}" on stdout (the format of the Java generator's rows); diagnostics on stderr. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "hist.h"
#include "proto.h"
#include "ws.h"

#define MAX_ARGS 32
static const char *keys[MAX_ARGS], *vals[MAX_ARGS];
static int nargs;

static const char *arg(const char *k, const char *def) {
  for (int i = 0; i < nargs; i++) if (strcmp(keys[i], k) == 0) return vals[i];
  return def;
}
static long arg_long(const char *k, long def) { const char *v = arg(k, NULL); return v ? atol(v) : def; }

/* ---- shared state of a run */
static client *clients;
static int nclients, nurls;
static struct sockaddr_in addrs[8];
static char hosts[8][64];
static long errors, closed_conns, acks;
static hist lat, lat2;
static char tag[40];

static void fatal_result(const char *mode, const char *why) {
  printf("RESULT {\"mode\":\"%s\",\"proto\":\"%s\",\"error\":\"%s\"%s%s%s}\n", mode, arg("proto", "noom"), why,
         arg("wl", NULL) ? ",\"wl\":\"" : "", arg("wl", ""), arg("wl", NULL) ? "\"" : "");
  fflush(stdout);
  exit(1);
}

static void parse_urls(void) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", arg("urls", "127.0.0.1:8080"));
  for (char *save, *u = strtok_r(buf, ",", &save); u && nurls < 8; u = strtok_r(NULL, ",", &save)) {
    char *colon = strrchr(u, ':');
    if (!colon) { fprintf(stderr, "url without port: %s\n", u); exit(2); }
    *colon = 0;
    addrs[nurls].sin_family = AF_INET;
    addrs[nurls].sin_port = htons((uint16_t)atoi(colon + 1));
    if (inet_pton(AF_INET, u, &addrs[nurls].sin_addr) != 1) { fprintf(stderr, "not an IPv4 address: %s\n", u); exit(2); }
    snprintf(hosts[nurls], sizeof hosts[nurls], "%s:%s", u, colon + 1);
    nurls++;
  }
}

/* ---- CPU: this process (getrusage, µs precision) and the servers (/proc/<pid>/stat, clock ticks) */
static double self_cpu_s(void) {
  struct rusage r;
  getrusage(RUSAGE_SELF, &r);
  return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

static long pid_ticks(long pid) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return -1;
  unsigned long ut = 0, st = 0;
  /* after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
  if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2) return -1;
  return (long)(ut + st);
}

typedef struct { double self_s; uint64_t wall; long ticks[8]; long pids[8]; int npids; } cpu_mark;

static void cpu_take(cpu_mark *m) {
  char buf[256];
  snprintf(buf, sizeof buf, "%s", arg("pids", ""));
  m->npids = 0;
  for (char *save, *p = strtok_r(buf, ",", &save); p && m->npids < 8; p = strtok_r(NULL, ",", &save))
    m->pids[m->npids++] = atol(p);
  for (int i = 0; i < m->npids; i++) m->ticks[i] = pid_ticks(m->pids[i]);
  m->self_s = self_cpu_s();
  m->wall = now_ns();
}

/* ,"genCpuPct":x,"cpuPct":"gen,server1,..","serverCpuS":y (the Java rows' cpuPct: generator first, % of one core) */
static int cpu_json(const cpu_mark *a, const cpu_mark *b, char *out, int cap) {
  double secs = (double)(b->wall - a->wall) / 1e9, tck = (double)sysconf(_SC_CLK_TCK), server_s = 0;
  double gen = 100.0 * (b->self_s - a->self_s) / secs;
  int n = snprintf(out, cap, ",\"genCpuPct\":%.1f,\"cpuPct\":\"%.0f", gen, gen);
  for (int i = 0; i < a->npids; i++) {
    double s = (a->ticks[i] < 0 || b->ticks[i] < 0) ? 0 : (double)(b->ticks[i] - a->ticks[i]) / tck;
    server_s += s;
    n += snprintf(out + n, cap - n, ",%.0f", 100.0 * s / secs);
  }
  return n + snprintf(out + n, cap - n, "\",\"serverCpuS\":%.3f", server_s);
}

static void print_result(const char *body) {
  printf("RESULT {%s,\"proto\":\"%s\",\"nodes\":%d,\"errors\":%ld,\"closed\":%ld,\"acks\":%ld", body, arg("proto", "noom"),
         nurls, errors, closed_conns, acks);
  if (arg("wl", NULL)) printf(",\"wl\":\"%s\"", arg("wl", ""));
  if (arg("run", NULL)) printf(",\"run\":%s", arg("run", "1"));
  printf(",\"generator\":\"wsload\"}\n");
  fflush(stdout);
}

/* ---- what the protocol layer reports */
static long reported;
static void report_problem(client *cl, const char *what, const char *msg, size_t n) {
  if (reported++ < 10) fprintf(stderr, "wsload: client %d: %s: %.*s\n", cl->index, what, (int)(n > 300 ? 300 : n), msg);
}
static void on_error(client *cl, const char *msg, size_t n) { errors++; report_problem(cl, "error", msg, n); }
static void on_closed(client *cl, const char *why) { closed_conns++; report_problem(cl, "closed", why, strlen(why)); }
static void on_ack(client *cl) { (void)cl; acks++; }

/* ---------------------------------------------------------------- pairs: closed loop */
static int pairs, window_, bytes_, next_launch, welcomed, pairs_joined, stopping, measuring, connect_window = 200;
static long received;

static void launch_next(void) {
  if (next_launch >= nclients) return;
  client *cl = &clients[next_launch++];
  cl->t_start = now_ns();
  if (!client_connect(cl, &addrs[cl->node], hosts[cl->node])) fatal_result(arg("mode", "?"), "connect failed");
}

static void pairs_welcome(client *cl) {
  (void)cl;
  launch_next();
  if (++welcomed == nclients)
    for (int p = 0; p < pairs; p++) client_join(&clients[2 * p]);
}

static void pairs_joined_cb(client *cl) {
  if (cl->index % 2 == 0) { client_join(cl->partner); return; }
  pairs_joined++;
}

static void pairs_timed(client *cl, uint64_t stamp) {
  uint64_t now = now_ns();
  if (measuring) { hist_record(&lat, now > stamp ? now - stamp : 0); received++; }
  if (!stopping) client_signal(cl, cl->partner, bytes_);
}

static void run_pairs(void) {
  pairs = (int)arg_long("pairs", 1);
  window_ = (int)arg_long("window", 1);
  bytes_ = (int)arg_long("bytes", 64);
  long warmup_ms = (long)(atof(arg("warmup", "2")) * 1000), secs_ms = (long)(atof(arg("secs", "5")) * 1000);
  nclients = 2 * pairs;
  clients = calloc((size_t)nclients, sizeof *clients);
  for (int i = 0; i < nclients; i++) {
    clients[i].index = i;
    clients[i].node = (i % 2) % nurls;
    clients[i].partner = &clients[i ^ 1];
    snprintf(clients[i].room, sizeof clients[i].room, "%s-%d-p%d", tag, (int)getpid(), i / 2);
  }
  proto_events ev = {pairs_welcome, pairs_joined_cb, pairs_timed, on_ack, on_error, on_closed};
  proto_init(&ev);
  uint64_t t0 = now_ns(), deadline = t0 + 60000000000ull;
  for (int i = 0; i < connect_window && i < nclients; i++) launch_next();
  while (pairs_joined < pairs) {
    ws_poll(100);
    if (errors) fatal_result("pairs", "the server answered an error during setup (stderr has it)");
    if (closed_conns || now_ns() > deadline) fatal_result("pairs", closed_conns ? "a connection closed during setup" : "setup timed out (60 s)");
  }
  uint64_t settle = now_ns() + 300000000ull; /* let the last member-joined frames drain */
  while (now_ns() < settle) ws_poll(50);
  for (int p = 0; p < pairs; p++)
    for (int k = 0; k < window_; k++) client_signal(&clients[2 * p], &clients[2 * p + 1], bytes_);
  ws_flush_dirty();
  uint64_t t_measure = now_ns() + (uint64_t)warmup_ms * 1000000ull;
  while (now_ns() < t_measure) ws_poll(10);
  cpu_mark a, b;
  hist_reset(&lat);
  received = 0;
  long errors0 = errors;
  cpu_take(&a);
  measuring = 1;
  uint64_t t_end = a.wall + (uint64_t)secs_ms * 1000000ull;
  for (uint64_t now = a.wall; now < t_end; now = now_ns()) {
    uint64_t left_ms = (t_end - now) / 1000000ull;
    ws_poll(left_ms > 100 ? 100 : (int)left_ms + 1);
  }
  measuring = 0;
  cpu_take(&b);
  stopping = 1;
  double secs = (double)(b.wall - a.wall) / 1e9;
  char body[1024], h[256], cpu[256];
  hist_json(&lat, h, sizeof h);
  cpu_json(&a, &b, cpu, sizeof cpu);
  snprintf(body, sizeof body,
           "\"mode\":\"pairs\",\"pairs\":%d,\"window\":%d,\"bytes\":%d,\"secs\":%.3f,\"deliveredPerSec\":%.0f,"
           "\"received\":%ld,%s%s,\"errorsMeasured\":%ld",
           pairs, window_, bytes_, secs, (double)received / secs, received, h, cpu, errors - errors0);
  print_result(body);
  for (int i = 0; i < nclients; i++) client_close(&clients[i]);
}

/* ---------------------------------------------------------------- join storm */
static int storm_done;

static void storm_welcome(client *cl) {
  cl->t_join = now_ns();
  client_join(cl);
}

static void storm_joined(client *cl) {
  uint64_t now = now_ns();
  hist_record(&lat, now - cl->t_join);
  hist_record(&lat2, now - cl->t_start);
  storm_done++;
  launch_next();
}

static void storm_timed(client *cl, uint64_t stamp) { (void)cl; (void)stamp; }

static void run_storm(void) {
  nclients = (int)arg_long("n", 5000);
  connect_window = (int)arg_long("window", 500);
  clients = calloc((size_t)nclients, sizeof *clients);
  for (int i = 0; i < nclients; i++) {
    clients[i].index = i;
    clients[i].node = (i % 2) % nurls;
    snprintf(clients[i].room, sizeof clients[i].room, "%s-%d-s%d", tag, (int)getpid(), i / 2);
  }
  proto_events ev = {storm_welcome, storm_joined, storm_timed, on_ack, on_error, on_closed};
  proto_init(&ev);
  hist_reset(&lat);
  hist_reset(&lat2);
  cpu_mark a, b;
  cpu_take(&a);
  uint64_t deadline = a.wall + 120000000000ull;
  for (int i = 0; i < connect_window && i < nclients; i++) launch_next();
  while (storm_done < nclients) {
    ws_poll(100);
    if (errors) fatal_result("storm", "the server answered an error (stderr has it)");
    if (closed_conns || now_ns() > deadline) fatal_result("storm", closed_conns ? "a connection closed" : "storm timed out (120 s)");
  }
  cpu_take(&b);
  double secs = (double)(b.wall - a.wall) / 1e9;
  char body[1024], h[256], h2[256], cpu[256];
  hist_json(&lat, h, sizeof h);
  hist_json(&lat2, h2, sizeof h2);
  cpu_json(&a, &b, cpu, sizeof cpu);
  snprintf(body, sizeof body,
           "\"mode\":\"storm\",\"n\":%d,\"window\":%d,\"secs\":%.3f,\"joinsPerSec\":%.0f,\"join\":{%s},"
           "\"connectHelloJoin\":{%s}%s",
           nclients, connect_window, secs, (double)nclients / secs, h, h2, cpu);
  print_result(body);
  for (int i = 0; i < nclients; i++) client_close(&clients[i]);
}

int main(int argc, char **argv) {
  if (argc < 2 || (strcmp(argv[1], "pairs") && strcmp(argv[1], "storm"))) {
    fprintf(stderr, "usage: wsload pairs|storm key=value...  (see the comment at the top of wsload.c)\n");
    return 2;
  }
  keys[nargs] = "mode"; vals[nargs++] = argv[1];
  for (int i = 2; i < argc && nargs < MAX_ARGS; i++) {
    char *eq = strchr(argv[i], '=');
    if (!eq) { fprintf(stderr, "wsload: expected key=value, got %s\n", argv[i]); return 2; }
    *eq = 0;
    keys[nargs] = argv[i];
    vals[nargs++] = eq + 1;
  }
  const char *proto = arg("proto", "noom");
  if (strcmp(proto, "noom") && strcmp(proto, "sio")) { fprintf(stderr, "wsload: proto must be noom or sio\n"); return 2; }
  proto_select(strcmp(proto, "sio") == 0, (int)arg_long("ack", 1));
  snprintf(tag, sizeof tag, "%.30s", arg("wl", argv[1]));
  parse_urls();
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0) { rl.rlim_cur = rl.rlim_max; setrlimit(RLIMIT_NOFILE, &rl); }
  if (strcmp(argv[1], "pairs") == 0) run_pairs(); else run_storm();
  return errors || closed_conns ? 1 : 0;
}
