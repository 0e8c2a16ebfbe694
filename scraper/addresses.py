"""Which addresses a fetch may reach: resolving a host name, and telling a public address
from a private, loopback or link-local one (refused unless the source's scope allows its host).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable
from typing import Protocol

from scraper.fetched import FetchScope


class Resolver(Protocol):
    """Turns a host name into the IP addresses a connection would use."""

    def __call__(self, host: str, port: int) -> Awaitable[list[str]]: ...


async def system_resolver(host: str, port: int) -> list[str]:
    """Resolve with the system resolver (getaddrinfo in the loop's executor)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable unicast IP (not private, loopback, …)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def private_allowed(host: str, scope: FetchScope) -> bool:
    allowed = scope.private_hosts
    return "*" in allowed or host in allowed or host.strip("[]") in allowed
