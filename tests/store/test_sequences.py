"""Sequence numbers: once per owner, unique in their scope, gap-free under concurrent callers."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from store.sequences import allocate_number, numbers_of


async def test_an_owner_keeps_its_number_when_asked_again(store_pool: asyncpg.Pool) -> None:
    first = await allocate_number(store_pool, "product-code/38/16045/2026", "journey-a")
    second = await allocate_number(store_pool, "product-code/38/16045/2026", "journey-b")
    again = await allocate_number(store_pool, "product-code/38/16045/2026", "journey-a")
    assert (first, second, again) == (1, 2, 1)


async def test_each_scope_counts_on_its_own(store_pool: asyncpg.Pool) -> None:
    assert await allocate_number(store_pool, "product-code/38/16045/2026", "journey-a") == 1
    assert await allocate_number(store_pool, "product-code/38/16045/2027", "journey-b") == 1
    assert await allocate_number(store_pool, "certificate/38/2026", "journey-a") == 1


async def test_concurrent_owners_get_distinct_numbers_without_gaps(store_pool: asyncpg.Pool) -> None:
    owners = [f"journey-{i}" for i in range(30)]
    # Every owner asks twice at once, as a retried activity would.
    numbers = await asyncio.gather(*(allocate_number(store_pool, "s", owner) for owner in owners * 2))
    assigned = await numbers_of(store_pool, "s")
    assert sorted(assigned.values()) == list(range(1, 31))
    assert dict(zip(owners * 2, numbers, strict=True)) == assigned


async def test_a_number_needs_a_scope_and_an_owner(store_pool: asyncpg.Pool) -> None:
    with pytest.raises(ValueError, match="scope and an owner"):
        await allocate_number(store_pool, "", "journey-a")
