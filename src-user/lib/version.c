// SPDX-License-Identifier: LGPL-2.1-or-later
/* The library's own version, for programs that run with a newer one. */
#include "internal.h"

#define STR_(x)		#x
#define STR(x)		STR_(x)

MICMEM_API const char *micmem_lib_version(void)
{
	return STR(MICMEM_LIB_VERSION_MAJOR) "." STR(MICMEM_LIB_VERSION_MINOR)
	       "." STR(MICMEM_LIB_VERSION_PATCH);
}
