/* What the kernel says is mounted where (/proc/self/mountinfo, proc(5)).
 * After an NFSv4 mount of server:/images/current, where `current` is a
 * symlink on the server, the kernel reports the path it resolved
 * (server:/images/v2): the only place a node sees which version it got. */
#ifndef NFSINIT_MOUNTINFO_H
#define NFSINIT_MOUNTINFO_H

#include <stddef.h>

/* Pure: the mount source of the last line (the visible mount) whose mount
 * point is mp, octal escapes (\040) decoded. Returns 0, -ENOENT when no line
 * has mp, -ENAMETOOLONG when the source does not fit in cap. Malformed lines
 * are skipped. */
int mountinfo_source(const char *text, size_t len, const char *mp, char *out, size_t cap);

/* Reads /proc/self/mountinfo and applies mountinfo_source. */
int mountinfo_read_source(const char *mp, char *out, size_t cap);

#endif
