/* The one place that decides what a failed boot becomes. */
#ifndef NFSINIT_FAILURE_H
#define NFSINIT_FAILURE_H

#include "config.h"

/* Logs what failed, then follows nfsinit.onfail / rd.shell / panic=: a rescue
 * shell when the image has one, else reboot after a delay, or halt.
 * Never returns: PID 1 must not exit. */
__attribute__((noreturn)) void boot_failed(const struct nfsinit_config *cfg, const char *stage);

/* An interactive /bin/sh on the console (nfsinit.break, rescue); returns
 * when it exits, false at once if the image has no shell. */
bool failure_shell(const char *why);

#endif
