/* Shell-style pattern matching for module aliases (modules.alias patterns
 * against device modaliases and the kernel's module requests). The subset
 * file2alias writes: '*', '?', bracket sets with ranges and '!'/'^'
 * negation, and '\' quoting the next character; bytes, no locale, '/' and a
 * leading '.' are ordinary characters (fnmatch with flags 0). Character
 * classes ("[[:alpha:]]") are not supported: "[:" is taken as a set holding
 * ':' and the letters up to the first ']'. libc's fnmatch would pull its
 * wide-character tables into the static /init (about 15 kB). */
#ifndef NFSINIT_GLOB_H
#define NFSINIT_GLOB_H

#include <stdbool.h>

/* True when the whole of text matches pattern. A '[' with no closing ']' is
 * an ordinary character, as is a '\' at the end of the pattern. */
bool glob_match(const char *pattern, const char *text);

#endif
