"""One POST to an endpoint, connecting to the address `targets` checked (SNI and certificate
checks still use the host name). No redirects are followed (a 3xx is a failure), at most a
little of the answer is read, and nothing here raises: the outcome is a status or an error."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

from marketplace.webhooks import targets

READ_LIMIT = 4096


@dataclass(frozen=True)
class Outcome:
    status: int | None
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    try:
        scheme, host, port, address = targets.connect_to(url)
    except targets.TargetRefused as refused:
        return Outcome(None, str(refused.message))
    split = urlsplit(url.strip())
    path = (split.path or "/") + (f"?{split.query}" if split.query else "")
    timeout = urllib3.Timeout(connect=settings.WEBHOOKS_TIMEOUT_SECONDS,
                              read=settings.WEBHOOKS_TIMEOUT_SECONDS)
    options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(address, port, server_hostname=host,
                                           assert_hostname=host, cert_reqs="CERT_REQUIRED",
                                           **options)
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    default_port = 443 if scheme == "https" else 80
    host_header = host if port == default_port else f"{host}:{port}"
    try:
        response = pool.urlopen("POST", path, body=body, redirect=False,
                                preload_content=False,
                                headers={**headers, "Host": host_header})
        response.read(READ_LIMIT)
        response.release_conn()
        return Outcome(response.status)
    except urllib3.exceptions.HTTPError as exc:
        return Outcome(None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        pool.close()
