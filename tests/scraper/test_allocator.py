import platform

from scraper.allocator import limit_malloc_arenas, release_free_memory

GLIBC = platform.libc_ver()[0] == "glibc"


def test_arena_limit_is_taken_by_glibc_and_only_there() -> None:
    assert limit_malloc_arenas(4) is GLIBC


def test_freed_heap_pages_are_released_on_glibc() -> None:
    # Page-sized bodies freed below a block still in use stay in the heap until trimmed;
    # malloc_trim says whether it released any (always False where there is no glibc).
    blobs = [bytes(100_000) for _ in range(100)]
    keep = bytes(100_000)
    del blobs
    assert release_free_memory() is GLIBC
    assert keep
