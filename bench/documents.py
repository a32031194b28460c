"""Document uploads against a plain ``cp``: throughput (MB/s) for 1 MB and 100 MB files, and the API
process's peak resident memory.

The API runs as ``ocop api`` does (uvicorn, its own process) on a scratch database, a Temporal dev
server and a worker of their own (the journey the files are uploaded for is registered through the
API). Each file is made of fresh random bytes (a content-addressed store keeps a repeated content
once), written to disk before it is timed; the same bytes are then copied with ``cp`` to the same
disk, in the same run, alternating with the uploads. The API's peak RSS is the kernel's high-water
mark (``VmHWM`` in /proc/<pid>/status) after the 1 MB uploads and again after the 100 MB ones.

The uploads are sent as a browser sends them, one multipart body a request, by a client that frames
the body by hand and hands the file to the kernel (``sendfile``): what is timed is the API, not a
Python client (``--client httpx``: httpx spends more CPU sending than the API receiving). The API is
served with uvicorn's HTTP implementation as ``ocop api`` picks it (``--http``: httptools, or h11).

Target: uploads reach at least 0.5 of the copy's throughput, with memory independent of the size.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchkit  # the path above makes the sibling importable as a script

MB = 1024 * 1024


def make_file(path: Path, size: int) -> Path:
    """A PDF-looking file of ``size`` fresh random bytes."""
    with path.open("wb") as handle:
        handle.write(b"%PDF-1.7\n")
        left = size - 9
        while left > 0:
            block = os.urandom(min(left, 4 * MB))
            handle.write(block)
            left -= len(block)
    return path


def peak_rss(pid: int) -> int:
    """The process's peak resident set size (bytes), from the kernel's high-water mark."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/<pid>/status")


def copy_seconds(source: Path, target: Path, durable: bool) -> float:
    """A plain ``cp``; ``durable``: then ``sync <file>`` (its fsync), as the store makes every file."""
    started = time.perf_counter()
    subprocess.run(["cp", str(source), str(target)], check=True)
    if durable:
        subprocess.run(["sync", str(target)], check=True)
    return time.perf_counter() - started


async def upload_seconds(http: httpx.AsyncClient, token: str, journey_id: str, source: Path) -> float:
    started = time.perf_counter()
    with source.open("rb") as handle:
        response = await http.post(
            f"/v1/journeys/{journey_id}/documents",
            headers={"Authorization": f"Bearer {token}"},
            files={"file": (source.name, handle, "application/pdf")},
        )
    elapsed = time.perf_counter() - started
    if response.status_code != 201:
        raise RuntimeError(f"upload: {response.status_code} {response.text[:300]}")
    return elapsed


async def raw_upload_seconds(port: int, token: str, journey_id: str, source: Path, size: int) -> float:
    """The same upload framed by hand on a fresh connection, the file's bytes handed to the kernel
    with ``sendfile`` (as ``cp`` copies in the kernel): the time is then the API's, not a Python
    client's (httpx spends more CPU sending than the API receiving) nor a process start's (curl)."""
    boundary = uuid.uuid4().hex
    prefix = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{source.name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    suffix = f"\r\n--{boundary}--\r\n".encode()
    length = len(prefix) + size + len(suffix)
    head = (
        f"POST /v1/journeys/{journey_id}/documents HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Authorization: Bearer {token}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(head + prefix)
        await writer.drain()
        with source.open("rb") as handle:
            await asyncio.get_running_loop().sendfile(writer.transport, handle)
        writer.write(suffix)
        await writer.drain()
        status = await reader.readline()
        body = await reader.read()  # the headers and the body, up to the close
    finally:
        writer.close()
    elapsed = time.perf_counter() - started
    if status.split()[1:2] != [b"201"]:
        raise RuntimeError(f"upload: {status.decode().strip()} {body[-300:].decode(errors='replace')}")
    return elapsed


async def serve_api(
    env: dict[str, str], port: int, log: Path, implementation: str
) -> asyncio.subprocess.Process:
    command = [
        sys.executable, "-m", "uvicorn", "api.app:create_served_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--http", implementation,
    ]  # fmt: skip
    with log.open("ab") as out:
        process = await asyncio.create_subprocess_exec(
            *command, cwd=benchkit.ROOT, env={**os.environ, **env}, stdout=out, stderr=out
        )
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        while True:
            try:
                if (await http.get("/health")).status_code == 200:
                    return process
            except httpx.TransportError:
                pass
            if process.returncode is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start; see {log}")
            await asyncio.sleep(0.2)


async def run(args: argparse.Namespace) -> None:
    from schemas.roles import Role
    from store import create_pool
    from store.actors import ActorStore

    sizes = [(MB, args.small_count), (100 * MB, args.large_count)]
    async with (
        benchkit.workdir() as work,
        benchkit.scratch_database(args.admin_url, "ocop_bench_docs") as url,
        benchkit.dev_server(work) as address,
        benchkit.worker_process(address, url, work),
    ):
        disk = Path(tempfile.mkdtemp(prefix="ocop-bench-documents-", dir=args.dir))
        documents, copies, sources = disk / "documents", disk / "copies", disk / "sources"
        for directory in (documents, copies, sources):
            directory.mkdir()
        pool = await create_pool(url)
        _, token = await ActorStore(pool).add(
            f"producer-{uuid.uuid4().hex[:6]}", Role.PRODUCER.value, "province", "38"
        )
        await pool.close()
        port = benchkit.free_port()
        env = {
            "OCOP_DATABASE_URL": url,
            "OCOP_TEMPORAL_ADDRESS": address,
            "OCOP_TASK_QUEUE": benchkit.ENGINE_QUEUE,
            "OCOP_DOCUMENTS_DIR": str(documents),
            "OCOP_LOG_LEVEL": "WARNING",
            "OCOP_LOG_FORMAT": "json",
        }
        api = await serve_api(env, port, work / "api.log", args.http)
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=600) as http:
                registered = await http.post(
                    "/v1/journeys",
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())},
                    json={
                        "product_name": "Nem chua Thanh Hóa",
                        "product_group": "food",
                        "province_code": 38,
                        "commune_code": 14797,
                    },
                )
                registered.raise_for_status()
                journey_id = registered.json()["journey_id"]
                benchkit.progress(f"API pid {api.pid}; peak RSS at start {peak_rss(api.pid) / MB:.1f} MB")

                async def send(source: Path, size: int) -> float:
                    if args.client == "raw":
                        return await raw_upload_seconds(port, token, journey_id, source, size)
                    return await upload_seconds(http, token, journey_id, source)

                rows = []
                for size, count in sizes:
                    uploads: list[float] = []
                    copied: list[float] = []
                    synced: list[float] = []
                    for index in range(count):
                        source = make_file(sources / f"{size}-{index}.pdf", size)
                        target = copies / source.name
                        # Alternate which goes first, so that neither always finds a warmer cache.
                        if index % 2:
                            copied.append(copy_seconds(source, target, durable=False))
                            uploads.append(await send(source, size))
                        else:
                            uploads.append(await send(source, size))
                            copied.append(copy_seconds(source, target, durable=False))
                        target.unlink()
                        synced.append(copy_seconds(source, target, durable=True))
                        source.unlink()
                        target.unlink()
                    total = size * count / MB
                    rss = peak_rss(api.pid)
                    rows.append(
                        (size, count, total / sum(uploads), total / sum(copied), total / sum(synced),
                         statistics.median(uploads), rss)
                    )  # fmt: skip
                    benchkit.progress(f"{size // MB} MB x {count}: done")
        finally:
            api.terminate()
            await api.wait()
            shutil.rmtree(disk, ignore_errors=True)
        print()
        print(f"uploads sent by {args.client}, parsed by uvicorn's {args.http} HTTP implementation")
        header = (
            "file",
            "n",
            "upload MB/s",
            "cp MB/s",
            "ratio",
            "cp+fsync MB/s",
            "ratio",
            "p50 upload",
            "API peak RSS",
        )
        print("{:>8} {:>4} {:>12} {:>10} {:>6} {:>14} {:>6} {:>11} {:>13}".format(*header))
        for size, count, upload_rate, copy_rate, synced_rate, median, rss in rows:
            print(
                f"{size // MB:>5} MB {count:>4} {upload_rate:>12.1f} {copy_rate:>10.1f} "
                f"{upload_rate / copy_rate:>6.2f} {synced_rate:>14.1f} {upload_rate / synced_rate:>6.2f} "
                f"{median * 1000:>8.0f} ms {rss / MB:>10.1f} MB"
            )
        plain = min(row[2] / row[3] for row in rows)
        durable = min(row[2] / row[4] for row in rows)
        growth = (rows[-1][6] - rows[0][6]) / MB
        print()
        print(f"target: uploads >= 0.5 x plain cp: {benchkit.verdict(plain >= 0.5)} (lowest {plain:.2f})")
        print(
            f"        uploads >= 0.5 x cp + fsync: {benchkit.verdict(durable >= 0.5)} (lowest {durable:.2f})"
        )
        print(
            f"        memory independent of the size: {benchkit.verdict(growth < 16)} "
            f"(API peak RSS {growth:+.1f} MB from after the 1 MB uploads to after the 100 MB ones)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--admin-url", default=benchkit.DEFAULT_ADMIN_URL)
    parser.add_argument("--small-count", type=int, default=30, help="1 MB files (default 30)")
    parser.add_argument("--large-count", type=int, default=4, help="100 MB files (default 4)")
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="who sends the uploads: raw (framed by hand, the file sent with sendfile; default) or httpx",
    )
    parser.add_argument(
        "--http",
        choices=("auto", "httptools", "h11"),
        default="auto",
        help="uvicorn's HTTP implementation, as `ocop api` picks it (auto: httptools when installed)",
    )
    parser.add_argument(
        "--dir", default=None, help="Where the store, the copies and the sources go (one disk); a temp dir."
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
