"""A 200 MB upload streams through the API into the document store with the process's memory flat:
its peak resident size above the baseline is no larger than a 1 MB upload's, give or take a few
megabytes, and far below the file's size."""

from __future__ import annotations

import hashlib
import os
import threading
import time
import uuid
from collections.abc import AsyncIterator

import pytest

from tests.api.cast import make_cast
from tests.api.harness import Api, Caller

MB = 1024 * 1024


async def multipart(boundary: str, size: int, block: bytes) -> AsyncIterator[bytes]:
    """A multipart body holding one PDF of ``size`` bytes, made as it is sent (``block`` reused)."""
    yield (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    sent = 0
    while sent < size:
        piece = block[: size - sent]
        yield piece
        sent += len(piece)
    yield f"\r\n--{boundary}--\r\n".encode()


def content_digest(size: int, block: bytes) -> str:
    digest = hashlib.sha256()
    sent = 0
    while sent < size:
        piece = block[: size - sent]
        digest.update(piece)
        sent += len(piece)
    return digest.hexdigest()


def resident_bytes() -> int:
    """This process's resident set size now (Linux: /proc/self/statm, in pages)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakRss:
    """Samples this process's resident set size every 5 ms while in use; ``peak`` above ``base``."""

    def __init__(self) -> None:
        self.base = resident_bytes()
        self.peak = self.base
        self._running = True
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while self._running:
            self.peak = max(self.peak, resident_bytes())
            time.sleep(0.005)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._running = False
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.base


async def upload_of(producer: Caller, journey_id: str, size: int) -> tuple[int, dict[str, object]]:
    block = b"%PDF-1.4\n" + uuid.uuid4().bytes * (MB // 16)
    block = block[:MB]
    boundary = uuid.uuid4().hex
    with PeakRss() as memory:
        response = await producer.http.post(
            f"/v1/journeys/{journey_id}/documents",
            headers={**producer.auth, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            content=multipart(boundary, size, block),
            timeout=300,
        )
    assert response.status_code == 201, response.text
    view = response.json()
    assert view["sha256"] == content_digest(size, block)
    assert view["size"] == size
    return memory.growth, view


@pytest.mark.slow
async def test_a_200_mb_upload_keeps_the_memory_flat(api: Api) -> None:
    cast = await make_cast(api)
    journey_id = await cast.register()
    await upload_of(cast.producer, journey_id, MB)  # warm up: imports, pools, first allocations
    small, _ = await upload_of(cast.producer, journey_id, MB)
    large, view = await upload_of(cast.producer, journey_id, 200 * MB)
    print(f"peak RSS growth: 1 MB upload {small / MB:.1f} MB, 200 MB upload {large / MB:.1f} MB")
    # Flat: what a 200 MB file adds is a few buffers, not the file (nor a spooled copy in memory).
    assert large < small + 16 * MB
    assert large < 24 * MB
    read = await cast.producer.get(view["href"])  # type: ignore[arg-type]
    assert read.status_code == 200
    assert hashlib.sha256(read.content).hexdigest() == view["sha256"]
