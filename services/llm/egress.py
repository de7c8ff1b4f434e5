"""Where an organisation-set provider URL may point: public addresses, or what the operator allows.

An org admin chooses the provider's base URL, and the server then sends requests there from inside
the deployment's network; without a check that is server-side request forgery (loopback services,
RFC 1918 hosts, the cloud metadata endpoint). The check runs twice:

- when the URL is saved (`check_base_url`), so the admin sees a clear message at once;
- when a connection is opened (`GuardedBackend`): the host is resolved once, every address is
  checked, and the socket connects to a checked address. The HTTP layer above keeps the name for
  the Host header and TLS (SNI and certificate), so a name that resolves to a public address at
  save time and to a private one later (DNS rebinding) is refused too.

The operator's allow-list (`LLM_ALLOWED_HOSTS`: names, addresses, CIDRs) lifts the refusal.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore2
import httpx2

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

REFUSED_PREFIX = "the provider address is not allowed"

# Cloud instance-metadata services: names and addresses. Only an exact allow-list entry admits them.
METADATA_NAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "metadata.azure.internal",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.tencentyun.com",
        "metadata.platformequinix.com",
    }
)
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(text)
    for text in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.123",  # AWS time sync (same link-local service block)
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
    )
)

_LOOPBACK = "private network (loopback)"
_V4_RANGES: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified address"),
        ("127.0.0.0/8", _LOOPBACK),
        ("10.0.0.0/8", "private network (RFC 1918)"),
        ("172.16.0.0/12", "private network (RFC 1918)"),
        ("192.168.0.0/16", "private network (RFC 1918)"),
        ("100.64.0.0/10", "private network (shared address space 100.64.0.0/10)"),
        ("169.254.0.0/16", "private network (link-local)"),
        ("224.0.0.0/4", "multicast address"),
        ("240.0.0.0/4", "reserved address"),
    )
)
_V6_RANGES: tuple[tuple[IPNetwork, str], ...] = tuple(
    (ipaddress.ip_network(net), reason)
    for net, reason in (
        ("::/128", "unspecified address"),
        ("::1/128", _LOOPBACK),
        ("fe80::/10", "private network (link-local)"),
        ("fec0::/10", "private network (site-local)"),
        ("fc00::/7", "private network (unique local fc00::/7)"),
        ("ff00::/8", "multicast address"),
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# What inet_aton reads as IPv4 besides dotted quads: 2130706433, 0177.0.0.1, 0x7f.1, 127.1.
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]*|[0-9]+)(\.(0x[0-9a-f]*|[0-9]+)){0,3}$", re.IGNORECASE)


class AddressNotAllowed(httpcore2.ConnectError):
    """The provider URL points somewhere the server must not call; the message is fixed text.

    A `ConnectError`, so the HTTP client and the SDKs treat it as a failed connection; the
    provider adapters look for it in the exception chain to report it as such.
    """

    def __init__(self, reason: str):
        super().__init__(f"{REFUSED_PREFIX}: {reason}")
        self.reason = reason


def _normal_name(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def parse_address(host: str) -> IPAddress | None:
    """`host` as an IP address, also in the legacy IPv4 forms resolvers accept; None for a name."""
    text = _normal_name(host)
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    if _LEGACY_IPV4.match(text):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(text))
        except OSError:
            return None
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address a v6 one carries (mapped, NAT64, 6to4): the host actually reached."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def classify_address(ip: IPAddress) -> str | None:
    """Why the server must not call `ip` ("private network (loopback)", ...), or None if public."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.scope_id:
        ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
    if ip in METADATA_ADDRESSES:
        return "cloud metadata service"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return classify_address(embedded)
        if ip in _IPV4_COMPATIBLE and int(ip) > 1:  # deprecated ::a.b.c.d
            return classify_address(ipaddress.IPv4Address(int(ip))) or "reserved address"
    for network, reason in _V4_RANGES if ip.version == 4 else _V6_RANGES:
        if ip in network:
            return reason
    if not ip.is_global:  # documentation, benchmarking, protocol assignments, discard...
        return "reserved address"
    return None


def classify_name(name: str) -> str | None:
    """Why a host name is refused before any lookup (metadata names, localhost), else None."""
    host = _normal_name(name)
    if host in METADATA_NAMES:
        return "cloud metadata service"
    if host == "localhost" or host.endswith(".localhost"):
        return _LOOPBACK
    return None


@dataclass(frozen=True)
class AllowList:
    """The operator's `LLM_ALLOWED_HOSTS`: exact host names, addresses and networks."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> AllowList:
        names: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in entries:
            text = entry.strip()
            if not text:
                continue
            try:
                networks.append(ipaddress.ip_network(text.strip("[]"), strict=False))
            except ValueError:
                names.add(_normal_name(text))
        return cls(frozenset(names), tuple(networks))

    def allows_name(self, host: str) -> bool:
        return _normal_name(host) in self.names

    def allows_address(self, ip: IPAddress) -> bool:
        forms = [ip]
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            forms.append(ip.ipv4_mapped)
        # A broad CIDR never opens the metadata service by accident: that takes the exact address.
        exact = any(form in METADATA_ADDRESSES for form in forms)
        return any(
            form in net and (net.num_addresses == 1 or not exact)
            for form in forms
            for net in self.networks
            if net.version == form.version
        )


def refusal(ip: IPAddress, allow: AllowList) -> str | None:
    """The reason `ip` is refused under `allow`, or None."""
    reason = classify_address(ip)
    if reason is None or allow.allows_address(ip):
        return None
    return reason


def system_resolver(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, in the resolver's order, without duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: dict[str, None] = {}
    for _family, _type, _proto, _name, sockaddr in infos:
        seen.setdefault(str(sockaddr[0]), None)
    return list(seen)


# Looked up at call time, so the one test that simulates DNS rebinding can stand in for DNS.
resolve: Resolver = system_resolver


def checked_addresses(host: str, port: int, allow: AllowList) -> list[str]:
    """Resolve `host` once and return its addresses if every one may be called; else raise."""
    named = allow.allows_name(host)
    reason = None if named else classify_name(host)
    if reason is not None:
        raise AddressNotAllowed(reason)
    literal = parse_address(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = resolve(host, port)
        except (OSError, UnicodeError) as exc:
            raise httpcore2.ConnectError(f"cannot resolve the provider host: {exc}") from exc
    if named:  # the operator vouched for this name, whatever it resolves to
        return addresses
    for text in addresses:
        reason = refusal(ipaddress.ip_address(text), allow)
        if reason is not None:
            log.warning("provider address refused: host %s, address %s (%s)", host, text, reason)
            raise AddressNotAllowed(reason)
    return addresses


def check_base_url(url: str, allow: AllowList) -> None:
    """Refuse a base URL an org admin wants to save when its host is not allowed.

    A name that does not resolve now is accepted: DNS may be down, and the connection is checked
    again anyway; that later check is the one that holds.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # not a port number: the URL check refuses it, the host is checked all the same
        port = 443
    try:
        checked_addresses(host, port, allow)
    except AddressNotAllowed:
        raise
    except httpcore2.ConnectError:
        log.info("provider host %s does not resolve now; it is checked again on connect", host)


def find_refusal(error: BaseException | None) -> AddressNotAllowed | None:
    """The `AddressNotAllowed` behind an SDK's connection error, if that is what it was."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, AddressNotAllowed):
            return error
        error = error.__cause__ or error.__context__
        seen += 1
    return None


class GuardedBackend(httpcore2.NetworkBackend):
    """Opens TCP connections only to checked addresses; the TLS layer above still uses the name."""

    def __init__(self, allow: AllowList, inner: httpcore2.NetworkBackend | None = None):
        self._allow = allow
        self._inner = inner or httpcore2.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:
        last: Exception | None = None
        for address in checked_addresses(host, port, self._allow):
            try:
                return self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore2.ConnectError, httpcore2.ConnectTimeout) as exc:
                last = exc
        raise last or httpcore2.ConnectError("no address to connect to")

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore2.SOCKET_OPTION] | None = None,
    ) -> httpcore2.NetworkStream:
        raise AddressNotAllowed("unix socket")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx2.HTTPTransport):
    """httpx's own transport with its connection pool on a `GuardedBackend`.

    No proxy from the environment: a proxy would resolve and connect on our behalf, unchecked.
    """

    def __init__(self, allow: AllowList, *, limits: httpx2.Limits | None = None):
        limits = limits or httpx2.Limits(max_connections=100, max_keepalive_connections=20)
        super().__init__(trust_env=False, limits=limits)
        self._pool.close()
        self._pool = httpcore2.ConnectionPool(
            ssl_context=httpcore2.default_ssl_context(_trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allow),
        )


def guarded_http_client(allow: AllowList, *, timeout: float) -> httpx2.Client:
    """An httpx client for the provider SDKs whose every connection (redirects too) is checked."""
    return httpx2.Client(
        transport=GuardedTransport(allow),
        timeout=httpx2.Timeout(timeout, connect=min(timeout, 5.0)),
        follow_redirects=True,
        trust_env=False,
    )
