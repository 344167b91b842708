/* Inputs of one SRP client computation for the arithmetic-floor harnesses:
 * the group, the server's salt and B, the username and the password, read
 * from a file that bench/bench.py writes (one "key=value" per line, numbers
 * in hex, so that the password never appears in argv). */
#ifndef BENCH_FLOOR_PARAMS_H
#define BENCH_FLOOR_PARAMS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FLOOR_MAX_BYTES 1024 /* 8192 bits, the largest RFC 5054 group */

struct floor_params {
    unsigned int bits;
    unsigned char N[FLOOR_MAX_BYTES], g[FLOOR_MAX_BYTES];
    unsigned char salt[FLOOR_MAX_BYTES], B[FLOOR_MAX_BYTES];
    size_t N_len, g_len, salt_len, B_len;
    char user[256], password[256];
};

/* floor_read_params fills |p| from |path|; on error it prints why to stderr
 * and returns 0. */
int floor_read_params(const char *path, struct floor_params *p);

/* floor_report prints the harness's one-line JSON result on stdout. |calls|
 * counts every call of the measured function, the warm-up included (the
 * callgrind count covers them all); |cpu_seconds| covers the timed
 * |iterations| only. */
void floor_report(const char *library, const struct floor_params *p,
                  unsigned long iterations, unsigned long calls,
                  double cpu_seconds);

/* floor_cpu_seconds returns the CPU time this process has used. */
double floor_cpu_seconds(void);

#ifdef __cplusplus
}
#endif

#endif
