"""One field's cancellation leaves other fields awaiting the same loader key their answer."""

import asyncio

from schema.loaders import SharedLoader


async def test_a_cancelled_awaiter_leaves_the_others_their_value() -> None:
    # given: two fields awaiting the same key, the second through the loader's cache
    async def load(keys: list[int]) -> list[int]:
        await asyncio.sleep(0)
        return [key * 10 for key in keys]

    loader: SharedLoader[int, int] = SharedLoader(load)

    async def field() -> int:
        return await loader.load(1)

    failing_sibling = asyncio.ensure_future(field())
    other = asyncio.ensure_future(field())
    await asyncio.sleep(0)
    # when: graphql-core cancels the first, as it does the siblings of a field that failed
    failing_sibling.cancel()
    # then: the other still gets the value
    assert await other == 10
    assert failing_sibling.cancelled()
