/* Shared by the constant-time harnesses of both libraries (this directory's
 * constant-time-harness.c and boringssl-patches/tests/constant-time-harness.cc):
 * the RFC 5054 Appendix B vector and the HARNESS-PASS/HARNESS-FAIL lines their
 * constant-time.sh drivers read.  C and C++. */
#ifndef CT_HARNESS_H
#define CT_HARNESS_H

#include <stdio.h>

/* RFC 5054 Appendix B (the 1024-bit group of Appendix A, g = 2), I = "alice",
 * P = "password123"; hex with spaces. */
static const char kSalt[] = "BEB25379 D1A8581E B5A72767 3A2441EE";
static const char kSecretA[] =
    "60975527 035CF2AD 1989806F 0407210B C81EDC04 E2762A56 AFD529DD DA2D4393";
static const char kPublicA[] =
    "61D5E490 F6F1B795 47B0704C 436F523D D0E560F0 C64115BB 72557EC4"
    "4352E890 3211C046 92272D8B 2D1A5358 A2CF1B6E 0BFCF99F 921530EC"
    "8E393561 79EAE45E 42BA92AE ACED8251 71E1E8B9 AF6D9C03 E1327F44"
    "BE087EF0 6530E69F 66615261 EEF54073 CA11CF58 58F0EDFD FE15EFEA"
    "B349EF5D 76988A36 72FAC47B 0769447B";
static const char kPublicB[] =
    "BD0C6151 2C692C0C B6D041FA 01BB152D 4916A1E7 7AF46AE1 05393011"
    "BAF38964 DC46A067 0DD125B9 5A981652 236F99D9 B681CBF8 7837EC99"
    "6C6DA044 53728610 D0C6DDB5 8B318885 D7D82C7F 8DEB75CE 7BD4FBAA"
    "37089E6F 9C6059F3 88838E7A 00030B33 1EB76840 910440B1 B27AAEAE"
    "EB4012B7 D7665238 A8E3FB00 4B117B58";
static const char kPremaster[] =
    "B0DC82BA BCF30674 AE450C02 87745E79 90A3381F 63B387AA F271A10D"
    "233861E3 59B48220 F7C4693C 9AE12B0A 6F67809F 0876E2D0 13800D6C"
    "41BB59B6 D5979B5C 00A172B4 A2A5903A 0BDCAF8A 709585EB 2AFAFA8F"
    "3499B200 210DCC1F 10EB3394 3CD67FC8 8A2F39A4 BE5BEC4E C0A3212D"
    "C346D7E4 74B29EDE 8A469FFE CA686E5A";

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

#endif
