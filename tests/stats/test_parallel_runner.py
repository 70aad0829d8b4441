"""The one parallel runner: one meaning of each scheduler word, results in task order, bad words rejected."""

from __future__ import annotations

import numpy as np
import pytest

from aiprogress.errors import ParameterError
from aiprogress.stats.parallel import check_scheduler, local_cluster, map_chunks


def _task(seed, scale=1.0):
    return float(np.random.default_rng(seed).standard_normal(1000).sum() * scale)


def test_every_scheduler_word_gives_the_serial_results_in_order():
    tasks = list(range(7))
    ref = [_task(t, scale=2.0) for t in tasks]  # a plain loop
    for scheduler in (None, "threads", "sync", "serial", "processes"):
        assert map_chunks(_task, tasks, shared={"scale": 2.0}, scheduler=scheduler) == ref, scheduler


def test_dask_local_cluster_and_client_give_the_same_results():
    from dask.distributed import Client

    tasks = list(range(5))
    ref = [_task(t) for t in tasks]
    assert map_chunks(_task, tasks, scheduler="local") == ref
    with local_cluster() as cluster, Client(cluster) as client:
        assert map_chunks(_task, tasks, scheduler=client) == ref
        routes = [getattr(r.matcher, "regex", None) for r in cluster.scheduler.http_application.wildcard_router.rules]
        assert not any(p is not None and "status" in p.pattern for p in routes)  # no Bokeh dashboard unless asked


def test_progress_weights_and_streaming_callback():
    seen, done = {}, []
    out = map_chunks(_task, [1, 2, 3], scheduler="threads", weights=[10, 20, 30], progress=done.append,
                     on_result=lambda i, v: seen.__setitem__(i, v))
    assert out == [None, None, None] and seen == {0: _task(1), 1: _task(2), 2: _task(3)}
    assert sorted(done) == [10, 20, 30]


def test_unknown_scheduler_is_a_parameter_error():
    assert check_scheduler(None) == "threads"
    with pytest.raises(ParameterError, match="scheduler"):
        map_chunks(_task, [1], scheduler="fast")
    with pytest.raises(ParameterError, match="scheduler"):
        check_scheduler(3)
