#define OPENSSL_SUPPRESS_DEPRECATED
#include "confide_secp256k1.h"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/obj_mac.h>
#include <string.h>

static BIGNUM *secret_number(const uint8_t *secret32) {
    BIGNUM *d = BN_secure_new();
    if (d == NULL) return NULL;
    BN_set_flags(d, BN_FLG_CONSTTIME);
    if (BN_bin2bn(secret32, 32, d) == NULL) {
        BN_clear_free(d);
        return NULL;
    }
    return d;
}

static int in_range(const EC_GROUP *group, const BIGNUM *d) {
    return !BN_is_zero(d) && BN_cmp(d, EC_GROUP_get0_order(group)) < 0;
}

int confide_secp256k1_seckey_verify(const uint8_t *secret32) {
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_secp256k1);
    BIGNUM *d = secret_number(secret32);
    int ok = group != NULL && d != NULL && in_range(group, d);
    BN_clear_free(d);
    EC_GROUP_free(group);
    return ok;
}

/* A key holding the secret and its public point, or NULL. */
static EC_KEY *signing_key(const uint8_t *secret32) {
    EC_KEY *key = EC_KEY_new_by_curve_name(NID_secp256k1);
    BIGNUM *d = secret_number(secret32);
    EC_POINT *point = NULL;
    int ok = key != NULL && d != NULL;
    const EC_GROUP *group = ok ? EC_KEY_get0_group(key) : NULL;
    ok = ok && in_range(group, d) && EC_KEY_set_private_key(key, d) == 1;
    ok = ok && (point = EC_POINT_new(group)) != NULL && EC_POINT_mul(group, point, d, NULL, NULL, NULL) == 1;
    ok = ok && EC_KEY_set_public_key(key, point) == 1;
    EC_POINT_free(point);
    BN_clear_free(d);
    if (!ok) {
        EC_KEY_free(key);
        return NULL;
    }
    return key;
}

int confide_secp256k1_pubkey_create(const uint8_t *secret32, uint8_t *out65) {
    EC_KEY *key = signing_key(secret32);
    if (key == NULL) return 0;
    size_t written = EC_POINT_point2oct(EC_KEY_get0_group(key), EC_KEY_get0_public_key(key), POINT_CONVERSION_UNCOMPRESSED, out65, 65, NULL);
    EC_KEY_free(key);
    return written == 65;
}

int confide_secp256k1_pubkey_parse(const uint8_t *point, size_t length, uint8_t *out65) {
    if (length != 33 && length != 65) return 0;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(NID_secp256k1);
    EC_POINT *p = group != NULL ? EC_POINT_new(group) : NULL;
    int ok = p != NULL && EC_POINT_oct2point(group, p, point, length, NULL) == 1 && !EC_POINT_is_at_infinity(group, p) &&
             EC_POINT_is_on_curve(group, p, NULL) == 1 &&
             EC_POINT_point2oct(group, p, POINT_CONVERSION_UNCOMPRESSED, out65, 65, NULL) == 65;
    EC_POINT_free(p);
    EC_GROUP_free(group);
    return ok;
}

int confide_secp256k1_sign(const uint8_t *secret32, const uint8_t *digest32, uint8_t *der, size_t *length) {
    EC_KEY *key = signing_key(secret32);
    if (key == NULL) return 0;
    ECDSA_SIG *sig = ECDSA_do_sign(digest32, 32, key);
    int ok = sig != NULL;
    if (ok) {
        const BIGNUM *r = NULL, *s = NULL;
        ECDSA_SIG_get0(sig, &r, &s);
        const BIGNUM *order = EC_GROUP_get0_order(EC_KEY_get0_group(key));
        BIGNUM *half = BN_new();
        ok = half != NULL && BN_rshift1(half, order) == 1;
        if (ok && BN_cmp(s, half) > 0) {
            BIGNUM *low = BN_new(), *r2 = BN_dup(r);
            ok = low != NULL && r2 != NULL && BN_sub(low, order, s) == 1 && ECDSA_SIG_set0(sig, r2, low) == 1;
            if (!ok) {
                BN_free(low);
                BN_free(r2);
            }
        }
        BN_free(half);
    }
    if (ok) {
        int needed = i2d_ECDSA_SIG(sig, NULL);
        ok = needed > 0 && (size_t)needed <= *length;
        if (ok) {
            unsigned char *cursor = der;
            ok = i2d_ECDSA_SIG(sig, &cursor) == needed;
            *length = (size_t)needed;
        }
    }
    ECDSA_SIG_free(sig);
    EC_KEY_free(key);
    return ok;
}

int confide_secp256k1_verify(const uint8_t *pub65, const uint8_t *digest32, const uint8_t *der, size_t length) {
    if (length == 0 || length > 80) return 0;
    const unsigned char *cursor = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &cursor, (long)length);
    if (sig == NULL) return 0;
    /* Strict DER: the whole input is one signature and re-encodes to the same bytes. */
    unsigned char again[80];
    unsigned char *out = again;
    int ok = cursor == der + length && i2d_ECDSA_SIG(sig, NULL) == (int)length && i2d_ECDSA_SIG(sig, &out) == (int)length &&
             memcmp(again, der, length) == 0;
    EC_KEY *key = ok ? EC_KEY_new_by_curve_name(NID_secp256k1) : NULL;
    EC_POINT *point = key != NULL ? EC_POINT_new(EC_KEY_get0_group(key)) : NULL;
    ok = ok && point != NULL && EC_POINT_oct2point(EC_KEY_get0_group(key), point, pub65, 65, NULL) == 1 &&
         EC_KEY_set_public_key(key, point) == 1 && ECDSA_do_verify(digest32, 32, sig, key) == 1;
    EC_POINT_free(point);
    EC_KEY_free(key);
    ECDSA_SIG_free(sig);
    return ok;
}
