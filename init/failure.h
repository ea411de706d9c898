/* The one place that decides what a failed boot becomes. */
#ifndef NFSINIT_FAILURE_H
#define NFSINIT_FAILURE_H

#include "config.h"

/* Logs what failed, then follows nfsinit.onfail / rd.shell / panic=: a rescue
 * shell when the image has one, else reboot after a delay, or halt.
 * Never returns: PID 1 must not exit. */
__attribute__((noreturn)) void boot_failed(const struct nfsinit_config *cfg, const char *stage);

#endif
