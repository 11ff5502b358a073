"""Where a webhook may be sent (docs/decisions.md "Webhooks: HTTPS and SSRF").

In production (`WEBHOOKS_ALLOW_LOCAL_TARGETS` off) a target is an `https://` URL whose host
resolves only to public addresses: never loopback, private, link-local (the cloud metadata
service at 169.254.169.254), multicast or reserved ones, so a registered URL cannot make the
platform probe its own network. The check runs at registration and again at every delivery,
and the delivery connects to the very address it checked (no second DNS answer in between).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from marketplace.errors import DomainError
from marketplace.limits import TEXT_LIMITS


class TargetRefused(DomainError):
    code = "webhook.url_refused"
    default_message = _("This address cannot receive webhooks.")


def allow_local() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_LOCAL_TARGETS", False))


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def parts(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a well-formed http(s) URL; TargetRefused otherwise."""
    url = (url or "").strip()
    try:
        split = urlsplit(url)
        port = split.port
    except ValueError:
        split, port = None, None
    if (split is None or split.scheme not in ("http", "https") or not split.hostname
            or len(url) > TEXT_LIMITS["url"]):
        raise TargetRefused(_("Give a full http:// or https:// address."), field="url",
                            code="webhook.url_invalid")
    if split.username or split.password:
        raise TargetRefused(_("Leave user names and passwords out of the address; the "
                              "signature authenticates the platform."), field="url",
                            code="webhook.url_credentials")
    return split.scheme, split.hostname, port or (443 if split.scheme == "https" else 80)


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise TargetRefused(_("The address's host name could not be resolved."), field="url",
                            code="webhook.url_unresolved") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _checked_addresses(scheme: str, host: str, port: int) -> list[str]:
    if scheme != "https":
        raise TargetRefused(_("Webhooks are delivered only to https:// addresses."),
                            field="url", code="webhook.https_required")
    addresses = resolve(host, port)
    if not all(is_public(address) for address in addresses):
        raise TargetRefused(_("This address points into a private or local network; webhooks "
                              "are delivered only to public addresses."), field="url",
                            code="webhook.private_target")
    return addresses


def check_target_url(url: str) -> None:
    """At registration: refuse (400 on `url`) an address webhooks may not be sent to."""
    scheme, host, port = parts(url)
    if not allow_local():
        _checked_addresses(scheme, host, port)


def connect_to(url: str) -> tuple[str, str, int, str]:
    """At delivery: the URL's scheme, host, port and the checked address to connect to;
    TargetRefused when a webhook may not be sent there now."""
    scheme, host, port = parts(url)
    if allow_local():
        return scheme, host, port, resolve(host, port)[0]
    return scheme, host, port, _checked_addresses(scheme, host, port)[0]
