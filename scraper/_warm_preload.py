"""Imported only by the crawler's forkserver: warms the extraction code before workers fork.

This is the one module in the project that does work at import time, on purpose: the
forkserver imports it once and every extraction worker is forked from the warm process.
``gc.freeze()`` then keeps the collector from touching (and so copying) the inherited
objects in each worker.
"""

import gc

from scraper.pool import warm_up

warm_up()
gc.freeze()
