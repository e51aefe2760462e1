"""Where phones reach ``pingyi serve``: this laptop's address on the meeting LAN.

Code slips print the voting address and its QR code, and the projector page
shows it, so both default to what ``serve`` will listen on: the first LAN
address found, port 8000. Finding it sends no packet: the host name's
addresses, then (Linux) each interface's address, and only as a last resort
the source address the kernel would pick for an outside route, which a UDP
``connect`` computes without transmitting anything.
"""
from __future__ import annotations

import ipaddress
import socket
import sys
from collections.abc import Callable, Iterable

DEFAULT_PORT = 8000
WILDCARD_HOSTS = ("0.0.0.0", "::", "")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_ROUTE_PROBE = "198.51.100.1"  # TEST-NET-2: only used to ask the routing table, never sent to


def _from_hostname() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def _from_interfaces() -> list[str]:
    """Each interface's IPv4 address (Linux ioctl; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return []
    import fcntl
    import struct

    found = []
    siocgifaddr = 0x8915
    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for name in names:
            try:
                packed = fcntl.ioctl(s.fileno(), siocgifaddr, struct.pack("256s", name.encode()[:15]))
            except OSError:
                continue
            found.append(socket.inet_ntoa(packed[20:24]))
    return found


def _from_route() -> list[str]:
    """The source address of the default route (UDP connect sends nothing)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect((_ROUTE_PROBE, 9))
            return [str(s.getsockname()[0])]
    except OSError:
        return []


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast)


def rank(addresses: Iterable[str]) -> list[str]:
    """Usable addresses without repeats, private (LAN) ranges first."""
    seen: list[str] = []
    for a in addresses:
        if _usable(a) and a not in seen:
            seen.append(a)
    return sorted(seen, key=lambda a: (not ipaddress.IPv4Address(a).is_private, seen.index(a)))


Probe = Callable[[], list[str]]
PROBES: tuple[Probe, ...] = (_from_hostname, _from_interfaces, _from_route)


def lan_addresses(probes: Iterable[Probe] | None = None) -> list[str]:
    """This machine's IPv4 addresses that other devices on the LAN can reach, best first."""
    for probe in PROBES if probes is None else probes:
        found = rank(probe())
        if found:
            return found
    return []


def url_for(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def serve_urls(host: str, port: int, lan: list[str] | None = None) -> list[str]:
    """Where browsers reach a server bound to ``host``: the bind address, or each LAN address and this machine."""
    if host not in WILDCARD_HOSTS:
        return [url_for(host, port)]
    found = lan_addresses() if lan is None else lan
    return [url_for(a, port) for a in found] + [url_for("127.0.0.1", port)]


def default_vote_url(port: int = DEFAULT_PORT, lan: list[str] | None = None) -> str | None:
    """The address printed on code slips when none is given: the first LAN address, or None."""
    found = lan_addresses() if lan is None else lan
    return url_for(found[0], port) if found else None
