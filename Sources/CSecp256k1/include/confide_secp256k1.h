#ifndef CONFIDE_SECP256K1_H
#define CONFIDE_SECP256K1_H
#include <stddef.h>
#include <stdint.h>

/*
 * secp256k1 ECDSA over OpenSSL 3's libcrypto (on every Debian image with libssl3; no extra package).
 * Keys are 32-byte big-endian scalars, public keys 65-byte uncompressed SEC 1 points, signatures
 * strict DER with low S. Every function returns 1 on success and 0 otherwise; none logs or keeps
 * a secret, and secrets are cleared from OpenSSL's numbers before they are freed.
 */

/* 1 when 0 < secret < n (the group order). */
int confide_secp256k1_seckey_verify(const uint8_t *secret32);

/* The public point of a valid secret, uncompressed. */
int confide_secp256k1_pubkey_create(const uint8_t *secret32, uint8_t *out65);

/* Parses a SEC 1 point (33 or 65 bytes), checks it is on the curve and not infinity, writes it uncompressed. */
int confide_secp256k1_pubkey_parse(const uint8_t *point, size_t length, uint8_t *out65);

/*
 * Signs a 32-byte digest. Nonces are OpenSSL's: derived from the private key, the digest and fresh
 * DRBG output (hedged, not RFC 6979 deterministic). S is normalised to the lower half of the group.
 * der must hold *length bytes (72 suffice); *length becomes the signature's length.
 */
int confide_secp256k1_sign(const uint8_t *secret32, const uint8_t *digest32, uint8_t *der, size_t *length);

/* 1 when der is a strict-DER ECDSA signature of digest32 under the uncompressed point pub65 (high S accepted). */
int confide_secp256k1_verify(const uint8_t *pub65, const uint8_t *digest32, const uint8_t *der, size_t length);

#endif
