#ifndef CONFIDE_CSECP256K1_SHIM_H
#define CONFIDE_CSECP256K1_SHIM_H
#include <secp256k1.h>

/* The flag macros combine other macros; these constants import into Swift as plain values. */
static const unsigned int confide_secp256k1_context_none = SECP256K1_CONTEXT_NONE;
static const unsigned int confide_secp256k1_ec_uncompressed = SECP256K1_EC_UNCOMPRESSED;
static const unsigned int confide_secp256k1_ec_compressed = SECP256K1_EC_COMPRESSED;
#endif
