import platform

from scraper.allocator import limit_malloc_arenas


def test_arena_limit_is_taken_by_glibc_and_only_there() -> None:
    assert limit_malloc_arenas(4) is (platform.libc_ver()[0] == "glibc")
