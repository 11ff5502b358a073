"""PAdES signatures of contract PDFs (docs/decisions.md "PAdES contract signatures (issue
16)"): `document` signs, `verification` checks, with pyHanko."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(call):
    """`call()`, in a worker thread when this thread already runs an asyncio loop (pyHanko's
    synchronous API calls `asyncio.run`, which refuses to nest: an ASGI server, Playwright's
    sync API in the browser tests). `call` must not touch the database."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()
