"""Resetting the extraction caches is silent: cron mails must not carry false errors."""

from __future__ import annotations

import logging

import pytest

from scraper.extraction import reset_caches


def test_reset_caches_logs_no_error(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        reset_caches()
        reset_caches()
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert logging.getLogger("htmldate.meta").level == logging.NOTSET
