#include "hist.h"

#include <stdio.h>
#include <string.h>

void hist_reset(hist *h) { memset(h, 0, sizeof *h); }

static int msb(uint64_t v) { return 63 - __builtin_clzll(v); }

static int index_of(uint64_t v) {
  if (v < 2 * HIST_SUB) return (int)v;
  int e = msb(v), shift = e - 10;
  int i = 2 * HIST_SUB + (e - 11) * HIST_SUB + (int)((v >> shift) - HIST_SUB);
  return i < HIST_BUCKETS ? i : HIST_BUCKETS - 1;
}

static uint64_t middle_of(int i) {
  if (i < 2 * HIST_SUB) return (uint64_t)i;
  int e = (i - 2 * HIST_SUB) / HIST_SUB + 11, shift = e - 10;
  uint64_t m = (uint64_t)((i - 2 * HIST_SUB) % HIST_SUB + HIST_SUB);
  return (m << shift) + ((1ull << shift) >> 1);
}

void hist_record(hist *h, uint64_t ns) {
  h->counts[index_of(ns)]++;
  h->total++;
  if (ns > h->max) h->max = ns;
}

uint64_t hist_at(const hist *h, double p) {
  if (h->total == 0) return 0;
  uint64_t want = (uint64_t)(p / 100.0 * (double)h->total + 0.5);
  if (want < 1) want = 1;
  uint64_t seen = 0;
  for (int i = 0; i < HIST_BUCKETS; i++) {
    seen += h->counts[i];
    if (seen >= want) { uint64_t v = middle_of(i); return v > h->max ? h->max : v; }
  }
  return h->max;
}

static double us(uint64_t ns) { return (double)(ns / 100) / 10.0; }

int hist_json(const hist *h, char *buf, int cap) {
  return snprintf(buf, cap, "\"count\":%llu,\"p50us\":%.1f,\"p99us\":%.1f,\"p999us\":%.1f,\"maxus\":%.1f",
                  (unsigned long long)h->total, us(hist_at(h, 50)), us(hist_at(h, 99)), us(hist_at(h, 99.9)), us(h->max));
}
