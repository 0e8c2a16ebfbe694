"""Keeping a long crawl's native heap compact (glibc only; elsewhere nothing is done).

glibc gives every thread that allocates its own malloc arena, up to eight per core, and
memory freed in one arena is not reused by another. The crawler moves 50–150 KB page bodies
through the event loop, worker threads and the process pool's feeder thread, so on a long
crawl each arena keeps its own high-water mark: about 10 MB of the main process at 20,000
pages. Two arenas are enough for a process whose real work runs under the GIL.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging

logger = logging.getLogger(__name__)

#: glibc's mallopt() parameter number for the arena limit (malloc.h: M_ARENA_MAX)
_M_ARENA_MAX = -8


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Cap this process's malloc arenas at ``arenas``; False where the C library is not glibc."""
    libc = _glibc()
    if libc is None:
        return False
    done = bool(libc.mallopt(_M_ARENA_MAX, arenas))
    logger.debug("malloc arenas limited to %d: %s", arenas, done)
    return done


def release_free_memory() -> bool:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``).

    Page bodies come and go by the hundred kilobytes; without this, a long crawl's resident
    size is its heap's high-water mark rather than what it holds.
    """
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """glibc, loaded once per process (find_library may run ``ldconfig``); None elsewhere."""
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.gnu_get_libc_version  # noqa: B018 - only glibc has it
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        libc.mallopt.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return libc
