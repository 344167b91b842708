/* Parameter file and result line shared by the arithmetic-floor harnesses. */
#include "params.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Decode |hex| into |out| (at most FLOOR_MAX_BYTES); 0 on bad input. */
static int from_hex(const char *hex, unsigned char *out, size_t *out_len)
{
    size_t n = strlen(hex), i;
    unsigned int byte;

    if (n == 0 || n % 2 || n / 2 > FLOOR_MAX_BYTES) {
        return 0;
    }
    for (i = 0; i < n / 2; i++) {
        if (sscanf(hex + 2 * i, "%2x", &byte) != 1) {
            return 0;
        }
        out[i] = (unsigned char)byte;
    }
    *out_len = n / 2;
    return 1;
}

int floor_read_params(const char *path, struct floor_params *p)
{
    static char line[2 * FLOOR_MAX_BYTES + 64];
    FILE *f = fopen(path, "r");
    int ok = 1, seen = 0;

    memset(p, 0, sizeof(*p));
    if (!f) {
        perror(path);
        return 0;
    }
    while (ok && fgets(line, sizeof(line), f)) {
        char *value = strchr(line, '=');
        if (!value) {
            continue;
        }
        *value++ = '\0';
        value[strcspn(value, "\r\n")] = '\0';
        if (!strcmp(line, "bits")) {
            ok = sscanf(value, "%u", &p->bits) == 1;
        } else if (!strcmp(line, "N")) {
            ok = from_hex(value, p->N, &p->N_len);
        } else if (!strcmp(line, "g")) {
            ok = from_hex(value, p->g, &p->g_len);
        } else if (!strcmp(line, "salt")) {
            ok = from_hex(value, p->salt, &p->salt_len);
        } else if (!strcmp(line, "B")) {
            ok = from_hex(value, p->B, &p->B_len);
        } else if (!strcmp(line, "user")) {
            ok = strlen(value) < sizeof(p->user);
            if (ok) {
                strcpy(p->user, value);
            }
        } else if (!strcmp(line, "password")) {
            ok = strlen(value) < sizeof(p->password);
            if (ok) {
                strcpy(p->password, value);
            }
        } else {
            continue;
        }
        seen++;
    }
    fclose(f);
    memset(line, 0, sizeof(line)); /* it held the password */
    if (!ok || seen != 7) {
        fprintf(stderr, "%s: malformed parameter file (need bits, N, g, salt, B, user, password)\n", path);
        return 0;
    }
    return 1;
}

void floor_report(const char *library, const struct floor_params *p,
                  unsigned long iterations, unsigned long calls,
                  double cpu_seconds)
{
    printf("{\"library\": \"%s\", \"bits\": %u, \"iterations\": %lu, \"calls\": %lu, "
           "\"cpu_seconds\": %.6f, \"cpu_us_per_op\": %.1f}\n",
           library, p->bits, iterations, calls, cpu_seconds,
           iterations ? cpu_seconds * 1e6 / iterations : 0.0);
}

double floor_cpu_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}
