/* A log-linear latency histogram (HdrHistogram's idea, 1,024 sub-buckets per power of two: < 0.1 % relative error),
 * in nanoseconds, fixed size, no allocation while recording. */
#ifndef WSLOAD_HIST_H
#define WSLOAD_HIST_H
#include <stdint.h>

#define HIST_SUB 1024
#define HIST_BUCKETS (2 * HIST_SUB + 40 * HIST_SUB)

typedef struct {
  uint64_t counts[HIST_BUCKETS];
  uint64_t total;
  uint64_t max;
} hist;

void hist_reset(hist *h);
void hist_record(hist *h, uint64_t ns);
/* The value (ns) at percentile p (0..100): the middle of the bucket holding it. */
uint64_t hist_at(const hist *h, double p);
/* {"count":..,"p50us":..,"p99us":..,"p999us":..,"maxus":..} without the braces, into buf. */
int hist_json(const hist *h, char *buf, int cap);

#endif
