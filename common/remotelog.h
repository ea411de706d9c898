/* The remote log: once the network is up, every console line also goes to a
 * syslog server as RFC 5424 over UDP (common/syslog5424.h), the lines logged
 * before first, with their own times. Sending never blocks: a dead or absent
 * server costs only the lost lines. The boot report is one message at the
 * end of the boot, ok or failed. A forked child (the lease keeper) keeps
 * sending through the same socket. */
#ifndef NFSINIT_REMOTELOG_H
#define NFSINIT_REMOTELOG_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "syslog5424.h"

/* Starts sending to t as hostname (the DHCP name, else node-<mac>); mac may
 * be NULL. Returns 0 or -errno (the socket), and logs what failed. */
int rlog_start(const struct syslog_target *t, const char *hostname, const uint8_t *mac, struct in_addr ip);
bool rlog_active(void);

/* Context for the messages' structured data; the strings are copied. */
void rlog_set_stage(const char *stage);
void rlog_set_root(const char *server, const char *path, const char *image_version);

/* The boot report: failed_stage NULL for a good boot. reason NULL: the last
 * console line. stages: "name=secs ..." from the caller's timings. */
void rlog_report(const char *failed_stage, const char *reason, const char *stages);

/* Waits up to max_ms for the datagrams still queued to leave the NIC (before
 * a reboot or power-off, which would drop them). */
void rlog_flush(int max_ms);
#define RLOG_FLUSH_MAX_MS 500 /* before a failure outcome: bounded, a dead NIC never holds it */

#endif
