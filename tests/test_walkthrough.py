"""deploy/walkthrough.sh, the README's curl walk-through, run as written against a served engine."""

from __future__ import annotations

import asyncio
import os
import shutil
from pathlib import Path

import asyncpg
import pytest
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from devstack import create_administrator
from settings import Settings
from tests.web.conftest import serve
from tests.workflows.harness import running_worker

WALKTHROUGH = Path(__file__).resolve().parents[1] / "deploy" / "walkthrough.sh"


async def test_the_walkthrough_takes_a_product_from_idea_to_certificate(
    time_skipping: WorkflowEnvironment, store_pool: asyncpg.Pool
) -> None:
    if shutil.which("curl") is None:
        if os.environ.get("CI"):  # the CI machine has it: missing there is a failure, not a skip
            pytest.fail("curl is not installed")
        pytest.skip("curl is not installed")
    token = await create_administrator(store_pool)
    async with running_worker(time_skipping.client, store_pool) as task_queue:
        settings = Settings(task_queue=task_queue)
        app = create_app(settings, temporal_client=time_skipping.client, pool=store_pool)
        server, task, base_url = await serve(app)
        try:
            process = await asyncio.create_subprocess_exec(
                "bash", str(WALKTHROUGH), base_url,
                env={**os.environ, "OCOP_ADMIN_TOKEN": token},
                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
            )  # fmt: skip
            output, _ = await asyncio.wait_for(process.communicate(), timeout=300)
        finally:
            server.should_exit = True
            await task
    text = output.decode()
    assert process.returncode == 0, text
    assert "recognize (authority)             CERTIFIED" in text, text
    assert "certificate " in text, text
    assert "valid until" in text, text
    assert '"ok":true' in text.replace(" ", ""), text
