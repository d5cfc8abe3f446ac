/* banned.h — functions warden never calls (after git's banned.h). Included by core.h, so using one
 * anywhere is a compile error, not a review comment. Use snprintf,
 * warden_buf, memcpy with explicit sizes, and the CSV reader instead. */
#ifndef WARDEN_BANNED_H
#define WARDEN_BANNED_H

/* The headers that declare them come first, so that including one later (guarded) is a no-op and
 * the order of includes in a file does not matter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BANNED(func) sorry_##func##_is_banned_in_warden

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) BANNED(strtok_r)
#undef gets
#define gets(x) BANNED(gets)
#undef atoi
#define atoi(x) BANNED(atoi)

#endif
