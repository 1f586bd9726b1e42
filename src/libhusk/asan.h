/* asan_unpoison(): tell AddressSanitizer that memory a CLONE_VM child ran
 * on (a vfork-style stack) is no longer poisoned; nothing without ASan.
 *
 * Copyright (C) 2026 The husk authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifndef HUSK_ASAN_H
#define HUSK_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define asan_unpoison(p, n) __asan_unpoison_memory_region((p), (n))
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/asan_interface.h>
#define asan_unpoison(p, n) __asan_unpoison_memory_region((p), (n))
#endif
#endif
#ifndef asan_unpoison
#define asan_unpoison(p, n) ((void)(p), (void)(n))
#endif

#endif
