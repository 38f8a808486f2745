/* SPDX-License-Identifier: MIT */
#include "util/size.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "util/err.h"

int u64_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return err_set(-EINVAL, "'%s' is not a number", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return err_set(-EINVAL, "'%s' is not a number", s);
	if (v < min || v > max)
		return err_set(-ERANGE, "%llu is out of range [%llu, %llu]", v,
			       (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

int size_parse(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	if (!s || !isdigit((unsigned char)*s))
		return err_set(-EINVAL, "bad size '%s' (want e.g. 128M, 1G)", s ? s : "");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return err_set(-EINVAL, "bad size '%s'", s);
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: break;
	}
	if (toupper((unsigned char)*end) == 'B')
		end++;
	if (*end)
		return err_set(-EINVAL, "bad size '%s' (want e.g. 128M, 1G)", s);
	if (shift && v > (UINT64_MAX >> shift))
		return err_set(-ERANGE, "size '%s' is too large", s);
	*out = (uint64_t)v << shift;
	return 0;
}
