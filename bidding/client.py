"""Where a bid was submitted from (issue 15 §1 "shared identity"): the IP address as sessions
and signatures record it (REMOTE_ADDR) and a keyed hash of the browser's user agent (the
agent itself is not kept). Read only by the regulators' red flags; blanked after
`MARKETPLACE_BID_CLIENT_RETENTION_DAYS` (`bidding.services.client_data`)."""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings

from marketplace.accounts.middleware import client_ip


@dataclass(frozen=True)
class ClientInfo:
    ip: str | None
    agent_hash: str


def agent_hash(user_agent: str) -> str:
    """HMAC-SHA256 of the user agent under a key derived from SECRET_KEY: equal agents compare
    equal, and the hash cannot be looked up in a table of common agents."""
    if not user_agent:
        return ""
    key = hashlib.sha256(f"bid-client:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, user_agent.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def client_of(request) -> ClientInfo:
    return ClientInfo(ip=client_ip(request),
                      agent_hash=agent_hash(request.META.get("HTTP_USER_AGENT", "")[:1000]))
