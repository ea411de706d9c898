#include "glob.h"

#include <stddef.h>

/* Matches c against the set that starts after '['; *end gets what follows
 * the ']'. Returns -1 when the set is not closed: the '[' is then literal. */
static int set_match(const char *p, unsigned char c, const char **end)
{
	bool neg = *p == '!' || *p == '^', hit = false;
	const char *s = neg ? p + 1 : p;

	for (bool first = true; first || *s != ']'; first = false) {
		unsigned char lo, hi;
		if (!*s)
			return -1;
		if (*s == '\\' && s[1])
			s++;
		lo = hi = (unsigned char)*s++;
		if (*s == '-' && s[1] && s[1] != ']') {
			s++;
			if (*s == '\\' && s[1])
				s++;
			hi = (unsigned char)*s++;
		}
		if (lo <= c && c <= hi)
			hit = true;
	}
	*end = s + 1;
	return hit != neg;
}

/* One pattern element at *pp against c; advances *pp past it. */
static bool elem_match(const char **pp, unsigned char c)
{
	const char *p = *pp, *end;
	int r;

	if (*p == '?')
		return *pp = p + 1, true;
	if (*p == '[' && (r = set_match(p + 1, c, &end)) >= 0)
		return *pp = end, r;
	if (*p == '\\' && p[1])
		p++;
	*pp = p + 1;
	return (unsigned char)*p == c;
}

/* Iterative, with one backtrack point: the last '*' seen. A later '*'
 * replaces it, which is enough for a pattern without other memory, so the
 * time is O(pattern x text), never exponential. */
bool glob_match(const char *pattern, const char *text)
{
	const char *p = pattern, *t = text, *star_p = NULL, *star_t = NULL;

	while (*t) {
		const char *q = p;
		if (*p == '*') {
			while (*p == '*')
				p++;
			star_p = p;
			star_t = t;
			continue;
		}
		if (*p && elem_match(&q, (unsigned char)*t)) {
			p = q;
			t++;
			continue;
		}
		if (!star_p)
			return false;
		p = star_p;
		t = ++star_t;
	}
	while (*p == '*')
		p++;
	return !*p;
}
