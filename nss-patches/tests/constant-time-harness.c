/* Constant-time harness for the NSS SRP client (patches 0001 and 0002), run
 * under valgrind memcheck by constant-time.sh.
 *
 * The password (and, in the known-answer run, the secret exponent a) is
 * marked undefined memory; x, g^x, B - k*g^x and S derive from them.  a drawn
 * by freebl is marked as RNG_GenerateGlobalRandomBytes returns it, through a
 * valgrind function wrapper (libfreeblpriv3.so keeps its symbol table).
 * memcheck then reports every branch and memory index that depends on a
 * secret.  Only what the protocol makes public is declassified, at the freebl
 * API boundary, also by wrappers: the inputs and output of SRP_ComputeU
 * (A, B and u), and A and the premaster length output by SRP_ClientDerive.
 * In CT_VERIF builds NSS_CLASSIFY / NSS_DECLASSIFY in srp.c do the same.
 *
 * Built twice by constant-time.sh:
 *   -DCT_FREEBL: SRP_ClientDerive through the freebl loader (libfreebl.a),
 *      the RFC 5054 Appendix B vector (result checked) and a random a in the
 *      2048-bit group;
 *   -DCT_SOFTOKEN: the softoken mechanism CKM_NSS_TLS_SRP_CLIENT_DERIVE
 *      through pk11wrap, as libssl drives it in a handshake.
 * Prints HARNESS-PASS/HARNESS-FAIL lines. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

#include "blapi.h"
#include "secitem.h"
#ifdef CT_SOFTOKEN
#include "nss.h"
#include "pk11pub.h"
#include "pkcs11n.h"
#endif

/* Marking the RNG output is only wanted while the SRP code runs. */
static int markRandom;

/* a = RNG output: secret from the moment it exists. */
SECStatus I_WRAP_SONAME_FNNAME_ZU(libfreeblpriv3Zdso,
                                  RNG_GenerateGlobalRandomBytes)(void *dest,
                                                                 size_t len)
{
    OrigFn fn;
    SECStatus rv;
    VALGRIND_GET_ORIG_FN(fn);
    CALL_FN_W_WW(rv, fn, dest, len);
    if (markRandom) {
        VALGRIND_MAKE_MEM_UNDEFINED(dest, len);
    }
    return rv;
}

/* u = SHA1(PAD(A) | PAD(B)): A, B and u are all public. */
SECStatus I_WRAP_SONAME_FNNAME_ZU(libfreeblpriv3Zdso, SRP_ComputeU)(
    const SECItem *N, const SECItem *A, const SECItem *B, unsigned char *u)
{
    OrigFn fn;
    SECStatus rv;
    VALGRIND_GET_ORIG_FN(fn);
    VALGRIND_MAKE_MEM_DEFINED(A->data, A->len);
    CALL_FN_W_WWWW(rv, fn, N, A, B, u);
    VALGRIND_MAKE_MEM_DEFINED(u, SHA1_LENGTH);
    return rv;
}

/* Outputs of the client computation: A is public, and so is the length of
 * the premaster secret (S without leading zeros); S itself stays secret. */
SECStatus I_WRAP_SONAME_FNNAME_ZU(libfreeblpriv3Zdso, SRP_ClientDerive)(
    const SECItem *N, const SECItem *g, const SECItem *salt, const SECItem *B,
    const SECItem *user, const SECItem *password, const SECItem *a, SECItem *A,
    SECItem *S)
{
    OrigFn fn;
    SECStatus rv;
    VALGRIND_GET_ORIG_FN(fn);
    CALL_FN_W_9W(rv, fn, N, g, salt, B, user, password, a, A, S);
    VALGRIND_MAKE_MEM_DEFINED(&A->len, sizeof(A->len));
    VALGRIND_MAKE_MEM_DEFINED(&S->len, sizeof(S->len));
    if (A->data) {
        VALGRIND_MAKE_MEM_DEFINED(A->data, A->len);
    }
    return rv;
}

static int failures;

static void
report(const char *name, int ok, const char *why)
{
    if (ok) {
        printf("HARNESS-PASS %s\n", name);
    } else {
        printf("HARNESS-FAIL %s: %s\n", name, why);
        failures++;
    }
}

static unsigned int
fromHex(const char *hex, unsigned char *out, unsigned int max)
{
    unsigned int n = 0;
    int high = -1;
    for (; *hex && n < max; hex++) {
        int v;
        if (*hex >= '0' && *hex <= '9') {
            v = *hex - '0';
        } else if (*hex >= 'A' && *hex <= 'F') {
            v = *hex - 'A' + 10;
        } else {
            continue;
        }
        if (high < 0) {
            high = v;
        } else {
            out[n++] = (unsigned char)(high * 16 + v);
            high = -1;
        }
    }
    return n;
}

/* RFC 5054 Appendix A (1024 bits, g = 2) and B. */
static const char kN1024[] =
    "EEAF0AB9 ADB38DD6 9C33F80A FA8FC5E8 60726187 75FF3C0B 9EA2314C"
    "9C256576 D674DF74 96EA81D3 383B4813 D692C6E0 E0D5D8E2 50B98BE4"
    "8E495C1D 6089DAD1 5DC7D7B4 6154D6B6 CE8EF4AD 69B15D49 82559B29"
    "7BCF1885 C529F566 660E57EC 68EDBC3C 05726CC0 2FD4CBF4 976EAA9A"
    "FD5138FE 8376435B 9FC61D2F C0EB06E3";
/* RFC 5054 Appendix A, 2048 bits, g = 2. */
static const char kN2048[] =
    "AC6BDB41 324A9A9B F166DE5E 1389582F AF72B665 1987EE07 FC319294"
    "3DB56050 A37329CB B4A099ED 8193E075 7767A13D D52312AB 4B03310D"
    "CD7F48A9 DA04FD50 E8083969 EDB767B0 CF609517 9A163AB3 661A05FB"
    "D5FAAAE8 2918A996 2F0B93B8 55F97993 EC975EEA A80D740A DBF4FF74"
    "7359D041 D5C33EA7 1D281E44 6B14773B CA97B43A 23FB8016 76BD207A"
    "436C6481 F1D2B907 8717461A 5B9D32E6 88F87748 544523B5 24B0D57D"
    "5EA77A27 75D2ECFA 032CFBDB F52FB378 61602790 04E57AE6 AF874E73"
    "03CE5329 9CCC041C 7BC308D8 2A5698F3 A8D0C382 71AE35F8 E9DBFBB6"
    "94B5C803 D89F7AE4 35DE236D 525F5475 9B65E372 FCD68EF2 0FA7111F"
    "9E4AFF73";
static const char kSalt[] = "BEB25379 D1A8581E B5A72767 3A2441EE";
static const char kSecretA[] =
    "60975527 035CF2AD 1989806F 0407210B C81EDC04 E2762A56 AFD529DD DA2D4393";
static const char kPublicB[] =
    "BD0C6151 2C692C0C B6D041FA 01BB152D 4916A1E7 7AF46AE1 05393011"
    "BAF38964 DC46A067 0DD125B9 5A981652 236F99D9 B681CBF8 7837EC99"
    "6C6DA044 53728610 D0C6DDB5 8B318885 D7D82C7F 8DEB75CE 7BD4FBAA"
    "37089E6F 9C6059F3 88838E7A 00030B33 1EB76840 910440B1 B27AAEAE"
    "EB4012B7 D7665238 A8E3FB00 4B117B58";
static const char kPublicA[] =
    "61D5E490 F6F1B795 47B0704C 436F523D D0E560F0 C64115BB 72557EC4"
    "4352E890 3211C046 92272D8B 2D1A5358 A2CF1B6E 0BFCF99F 921530EC"
    "8E393561 79EAE45E 42BA92AE ACED8251 71E1E8B9 AF6D9C03 E1327F44"
    "BE087EF0 6530E69F 66615261 EEF54073 CA11CF58 58F0EDFD FE15EFEA"
    "B349EF5D 76988A36 72FAC47B 0769447B";
static const char kPremaster[] =
    "B0DC82BA BCF30674 AE450C02 87745E79 90A3381F 63B387AA F271A10D"
    "233861E3 59B48220 F7C4693C 9AE12B0A 6F67809F 0876E2D0 13800D6C"
    "41BB59B6 D5979B5C 00A172B4 A2A5903A 0BDCAF8A 709585EB 2AFAFA8F"
    "3499B200 210DCC1F 10EB3394 3CD67FC8 8A2F39A4 BE5BEC4E C0A3212D"
    "C346D7E4 74B29EDE 8A469FFE CA686E5A";

static unsigned char password[] = "password123";
static unsigned char user[] = "alice";

#ifdef CT_FREEBL
static void
freeblRun(const char *name, const char *nHex, const char *aHex,
          const char *expectA, const char *expectS)
{
    unsigned char n[1024], salt[16], b[1024], a[32], wantA[1024], wantS[1024];
    unsigned char g = 2;
    unsigned int nLen = fromHex(nHex, n, sizeof(n));
    unsigned int bLen = expectA ? fromHex(kPublicB, b, sizeof(b)) : nLen;
    unsigned int aLen = aHex ? fromHex(aHex, a, sizeof(a)) : 0;
    SECItem N = { siBuffer, n, nLen }, G = { siBuffer, &g, 1 };
    SECItem s = { siBuffer, salt, fromHex(kSalt, salt, sizeof(salt)) };
    SECItem B = { siBuffer, b, bLen }, I = { siBuffer, user, 5 };
    SECItem P = { siBuffer, password, 11 }, ai = { siBuffer, a, aLen };
    SECItem A = { siBuffer, NULL, 0 }, S = { siBuffer, NULL, 0 };
    SECStatus rv;

    if (!expectA) {
        memset(b, 0x5a, bLen);
    }
    VALGRIND_MAKE_MEM_UNDEFINED(password, 11);
    if (aLen) {
        VALGRIND_MAKE_MEM_UNDEFINED(a, aLen);
    }
    markRandom = 1;
    rv = SRP_ClientDerive(&N, &G, &s, &B, &I, &P, aLen ? &ai : NULL, &A, &S);
    markRandom = 0;
    VALGRIND_MAKE_MEM_DEFINED(password, 11);
    if (rv != SECSuccess) {
        report(name, 0, "SRP_ClientDerive failed");
        return;
    }
    /* The premaster secret is declassified only to check it. */
    VALGRIND_MAKE_MEM_DEFINED(S.data, S.len);
    if (expectA) {
        unsigned int wantALen = fromHex(expectA, wantA, sizeof(wantA));
        unsigned int wantSLen = fromHex(expectS, wantS, sizeof(wantS));
        report(name, A.len == wantALen && !memcmp(A.data, wantA, wantALen) &&
                         S.len == wantSLen && !memcmp(S.data, wantS, wantSLen),
               "A or the premaster secret differs from RFC 5054 Appendix B");
    } else {
        report(name, A.len > nLen - 8 && S.len > nLen - 8,
               "implausible A or premaster length");
    }
    SECITEM_FreeItem(&A, PR_FALSE);
    SECITEM_ZfreeItem(&S, PR_FALSE);
}

/* Positive control: SRP_ComputeVerifier (tests and tools only, never a
 * handshake) computes g^x with mp_exptmod, which is not constant time, so
 * memcheck must report it: proof that the marking reaches the code. */
static void
freeblControl(void)
{
    unsigned char n[1024], salt[16], g = 2;
    SECItem N = { siBuffer, n, fromHex(kN1024, n, sizeof(n)) };
    SECItem G = { siBuffer, &g, 1 };
    SECItem s = { siBuffer, salt, fromHex(kSalt, salt, sizeof(salt)) };
    SECItem I = { siBuffer, user, 5 }, P = { siBuffer, password, 11 };
    SECItem v = { siBuffer, NULL, 0 };

    VALGRIND_MAKE_MEM_UNDEFINED(password, 11);
    report("freebl-control-verifier",
           SRP_ComputeVerifier(&N, &G, &s, &I, &P, &v) == SECSuccess,
           "SRP_ComputeVerifier failed");
    VALGRIND_MAKE_MEM_DEFINED(password, 11);
    SECITEM_ZfreeItem(&v, PR_FALSE);
}
#endif

#ifdef CT_SOFTOKEN
static void
softokenRun(const char *name, const char *nHex)
{
    unsigned char n[1024], salt[16], b[1024], A[1024];
    unsigned char g = 2;
    unsigned int nLen = fromHex(nHex, n, sizeof(n));
    CK_NSS_TLS_SRP_CLIENT_DERIVE_PARAMS p;
    SECItem pw = { siBuffer, password, 11 };
    SECItem param = { siBuffer, (unsigned char *)&p, sizeof(p) };
    PK11SlotInfo *slot = PK11_GetInternalSlot();
    PK11SymKey *pwKey = NULL, *pms = NULL;

    memset(b, 0x5a, nLen);
    p.pPrime = n;
    p.ulPrimeLen = nLen;
    p.pGenerator = &g;
    p.ulGeneratorLen = 1;
    p.pSalt = salt;
    p.ulSaltLen = fromHex(kSalt, salt, sizeof(salt));
    p.pServerPublic = b;
    p.ulServerPublicLen = nLen;
    p.pUsername = user;
    p.ulUsernameLen = 5;
    p.pClientPublic = A;
    p.ulClientPublicLen = sizeof(A);

    VALGRIND_MAKE_MEM_UNDEFINED(password, 11);
    markRandom = 1;
    if (slot) {
        pwKey = PK11_ImportSymKey(slot, CKM_NSS_TLS_SRP_CLIENT_DERIVE,
                                  PK11_OriginUnwrap, CKA_DERIVE, &pw, NULL);
    }
    if (pwKey) {
        pms = PK11_Derive(pwKey, CKM_NSS_TLS_SRP_CLIENT_DERIVE, &param,
                          CKM_TLS_MASTER_KEY_DERIVE_DH, CKA_DERIVE, 0);
    }
    markRandom = 0;
    VALGRIND_MAKE_MEM_DEFINED(password, 11);
    report(name, pms && p.ulClientPublicLen > nLen - 8 &&
                     p.ulClientPublicLen <= nLen,
           "the derive failed or returned an implausible A");
    if (pms) {
        PK11_FreeSymKey(pms);
    }
    if (pwKey) {
        PK11_FreeSymKey(pwKey);
    }
    if (slot) {
        PK11_FreeSlot(slot);
    }
}
#endif

int
main(void)
{
#ifdef CT_FREEBL
    if (RNG_RNGInit() != SECSuccess) {
        report("freebl-init", 0, "RNG_RNGInit failed");
        return 1;
    }
    freeblRun("freebl-rfc5054-vector", kN1024, kSecretA, kPublicA, kPremaster);
    freeblRun("freebl-random-a-2048", kN2048, NULL, NULL, NULL);
    freeblControl();
#endif
#ifdef CT_SOFTOKEN
    if (NSS_NoDB_Init(NULL) != SECSuccess) {
        report("softoken-init", 0, "NSS_NoDB_Init failed");
        return 1;
    }
    softokenRun("softoken-derive-1024", kN1024);
    softokenRun("softoken-derive-2048", kN2048);
    NSS_Shutdown();
#endif
    return failures ? 1 : 0;
}
