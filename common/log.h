/* Console logging for PID 1. Every line is "nfsinit: [secs] text", secs since
 * boot (CLOCK_BOOTTIME), written to /dev/console and also kept in memory so it
 * can be saved to /run/nfsinit/log before the switch. Pure parsers never log. */
#ifndef NFSINIT_LOG_H
#define NFSINIT_LOG_H

#include <stddef.h>
#include <stdbool.h>

void log_open(void);                 /* (re)open /dev/console and /dev/kmsg */
void log_set_debug(bool on);
bool log_debug_enabled(void);

__attribute__((format(printf, 1, 2))) void logx(const char *fmt, ...);
/* logerr appends ": <strerror(err)>"; err is a positive or negative errno. */
__attribute__((format(printf, 2, 3))) void logerr(int err, const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void logdbg(const char *fmt, ...);
/* Console and the kept log, not /dev/kmsg: for routine lines that come in
 * bursts (one per module loaded), which would use up the kernel's rate limit
 * on /dev/kmsg writers and push out the lines that matter. */
__attribute__((format(printf, 1, 2))) void lognote(const char *fmt, ...);

/* Milliseconds since boot, for stage timings. */
long long uptime_ms(void);

/* Also hands every line the log keeps, console and debug (its boot time and
 * text without prefix or newline; shown: it went to the console), to fn;
 * NULL stops. For the remote log
 * (common/remotelog.c). */
void log_set_sink(void (*fn)(long long ms, const char *text, size_t len, bool shown));

/* The log kept so far, for /run/nfsinit/log. */
const char *log_buffer(size_t *len);

/* A child process's log lines go to PID 1 over a pipe (log.c): make it
 * before fork(), then log_child_side(true) in the child, (false) in PID 1;
 * PID 1 passes the lines on when it logs and on log_child_drain(). */
int log_child_pipe(void);
void log_child_side(bool child);
void log_child_drain(void);

#endif
