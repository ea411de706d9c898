/* SHA-256 (FIPS 180-4), just enough to derive stable per-node ids from a MAC:
 * /init links no crypto library. */
#ifndef NFSINIT_SHA256_H
#define NFSINIT_SHA256_H

#include <stddef.h>
#include <stdint.h>

void sha256(const void *data, size_t len, uint8_t out[32]);

#endif
