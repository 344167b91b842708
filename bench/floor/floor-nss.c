/* Arithmetic floor of one TLS-SRP client handshake in NSS: what the client
 * must compute (x, k, u, A = g^a, v = g^x, S = (B - k*v)^(a + u*x)) through
 * freebl's SRP_ClientDerive (nss-patches 0001), the function softoken's
 * CKM_NSS_TLS_SRP_CLIENT_DERIVE calls during the handshake. Linked with the
 * staged freebl loader, so it runs the staged libfreeblpriv3.so, like
 * softoken does.
 *
 *   floor-nss PARAMS_FILE ITERATIONS
 *
 * One warm-up call, then ITERATIONS timed calls; prints one JSON line. Under
 * callgrind, --toggle-collect=floor_once counts exactly the calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blapi.h"
#include "secitem.h"

#include "params.h"

/* One client computation with a fresh 256-bit a (as in a handshake). Kept
 * out of line so that callgrind can collect exactly this. */
__attribute__((noinline)) int floor_once(const struct floor_params *p)
{
    SECItem N = { siBuffer, (unsigned char *)p->N, (unsigned int)p->N_len };
    SECItem g = { siBuffer, (unsigned char *)p->g, (unsigned int)p->g_len };
    SECItem salt = { siBuffer, (unsigned char *)p->salt, (unsigned int)p->salt_len };
    SECItem B = { siBuffer, (unsigned char *)p->B, (unsigned int)p->B_len };
    SECItem user = { siBuffer, (unsigned char *)p->user, (unsigned int)strlen(p->user) };
    SECItem password = { siBuffer, (unsigned char *)p->password,
                         (unsigned int)strlen(p->password) };
    SECItem A = { siBuffer, NULL, 0 }, S = { siBuffer, NULL, 0 };

    if (SRP_ClientDerive(&N, &g, &salt, &B, &user, &password, NULL, &A, &S) !=
            SECSuccess ||
        A.len == 0 || S.len == 0) {
        return 0;
    }
    SECITEM_FreeItem(&A, PR_FALSE);
    SECITEM_ZfreeItem(&S, PR_FALSE);
    return 1;
}

int main(int argc, char **argv)
{
    static struct floor_params p;
    unsigned long iterations, i;
    double start;

    if (argc != 3 || (iterations = strtoul(argv[2], NULL, 10)) == 0) {
        fprintf(stderr, "usage: floor-nss PARAMS_FILE ITERATIONS\n");
        return 2;
    }
    if (!floor_read_params(argv[1], &p)) {
        return 2;
    }
    if (RNG_RNGInit() != SECSuccess || !floor_once(&p)) {
        fprintf(stderr, "floor-nss: SRP_ClientDerive failed (error %d)\n", PORT_GetError());
        return 1;
    }
    start = floor_cpu_seconds();
    for (i = 0; i < iterations; i++) {
        if (!floor_once(&p)) {
            fprintf(stderr, "floor-nss: SRP_ClientDerive failed (error %d)\n", PORT_GetError());
            return 1;
        }
    }
    floor_report("nss", &p, iterations, iterations + 1, floor_cpu_seconds() - start);
    return 0;
}
