"""The crawl's database writer: operations applied in batched transactions, in a thread."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from storage.errors import unwritable
from storage.transient import is_transient

logger = logging.getLogger(__name__)

Op = Callable[[Session], None]

#: how often an operation that lost a deadlock or serialisation race is applied
WRITE_ATTEMPTS = 5


class Writer:
    """Applies database operations in batched transactions, one batch at a time, in a thread.

    Each operation runs in a savepoint, so one bad page cannot roll back its neighbours. An
    operation that loses a deadlock (PostgreSQL) is applied again after the batch commits.
    Operations make their side effects (counts, callbacks) after their last write, so one
    that failed can run again.
    """

    def __init__(self, engine: Engine, *, batch: int = 200, interval: float = 0.2) -> None:
        self._engine = engine
        self._batch = batch
        self._interval = interval
        self._queue: asyncio.Queue[Op] = asyncio.Queue(maxsize=batch * 4)
        self.error: BaseException | None = None

    async def put(self, op: Op) -> None:
        if self.error is not None:
            raise RuntimeError("the database writer has failed") from self.error
        await self._queue.put(op)

    async def drain(self) -> None:
        await self._queue.join()
        if self.error is not None:
            raise RuntimeError("the database writer has failed") from self.error

    async def run(self) -> None:
        while True:
            first = await self._queue.get()
            ops = [first]
            deadline = time.monotonic() + self._interval
            while len(ops) < self._batch:
                timeout = deadline - time.monotonic()
                if timeout <= 0:
                    break
                try:
                    ops.append(await asyncio.wait_for(self._queue.get(), timeout))
                except TimeoutError:
                    break
            try:
                if self.error is None:
                    await asyncio.to_thread(self._apply, ops)
            except Exception as exc:
                logger.error("database write failed: %s", exc)
                self.error = exc
            finally:
                for _ in ops:
                    self._queue.task_done()

    def _apply(self, ops: list[Op]) -> None:
        t0 = time.monotonic()
        pending = ops
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            pending = self._apply_batch(pending, final=attempt == WRITE_ATTEMPTS)
            if not pending:
                break
            logger.info(
                "%d writes lost a race with another writer; writing them again", len(pending)
            )
            time.sleep(random.uniform(0.01, 0.1) * attempt)
        logger.debug("wrote %d results in %.3fs", len(ops), time.monotonic() - t0)

    def _apply_batch(self, ops: list[Op], *, final: bool) -> list[Op]:
        """Apply ``ops`` in one transaction; return those that lost a deadlock or
        serialisation race, to be applied again once this transaction has committed (the
        locks the others wait for are then released)."""
        again: list[Op] = []
        with Session(self._engine) as session, session.begin():
            for op in ops:
                try:
                    with session.begin_nested():
                        op(session)
                except Exception as exc:
                    if unwritable(exc) is not None:
                        raise  # disk full, read-only: the whole batch fails, the crawl stops
                    if is_transient(exc) and not final:
                        again.append(op)
                    else:
                        logger.exception("could not store one result; it will be retried")
        return again
