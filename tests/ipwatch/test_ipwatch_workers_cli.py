"""`ipwatch worker`, `sealer`, `crawl --workers` refuse what they cannot use, saying why."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.support import run_ipwatch

if TYPE_CHECKING:
    from pathlib import Path


def test_a_worker_without_redis_says_how_to_give_it_one(tmp_path: Path) -> None:
    done = run_ipwatch(tmp_path / "home", "worker", "--run", "R-1")
    assert done.returncode != 0
    assert "--redis" in done.stderr and "redis.url" in done.stderr


def test_a_redis_url_in_ipwatch_yaml_that_is_not_one_names_the_field(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "ipwatch.yaml").write_text("redis:\n  url: http://127.0.0.1:6379\n")
    done = run_ipwatch(home, "sealer", "--run", "R-1")
    assert done.returncode != 0
    assert "ipwatch.yaml" in done.stderr and "redis.url" in done.stderr
    assert "redis://" in done.stderr


def test_joining_a_run_that_does_not_exist_says_where_run_ids_come_from(
    tmp_path: Path, redis_url: str
) -> None:
    done = run_ipwatch(tmp_path / "home", "worker", "--run", "R-nope", "--redis", redis_url)
    assert done.returncode != 0
    assert "no run R-nope" in done.stderr and "crawl MARKETPLACE --workers" in done.stderr


def test_a_run_id_crafted_to_reach_other_keys_is_refused(tmp_path: Path, redis_url: str) -> None:
    done = run_ipwatch(tmp_path / "home", "sealer", "--run", "R-1:*", "--redis", redis_url)
    assert done.returncode != 0
    assert "letters, digits" in done.stderr


def test_a_redis_that_does_not_answer_is_one_clear_line(tmp_path: Path) -> None:
    done = run_ipwatch(
        tmp_path / "home", "worker", "--run", "R-1", "--redis", "redis://127.0.0.1:1/0"
    )
    assert done.returncode != 0
    assert "does not answer" in done.stderr and "Traceback" not in done.stderr


def test_a_detect_worker_for_a_run_that_does_not_exist_says_where_run_ids_come_from(
    tmp_path: Path, redis_url: str
) -> None:
    done = run_ipwatch(tmp_path / "home", "detect-worker", "--run", "R-nope", "--redis", redis_url)
    assert done.returncode != 0
    assert "no run R-nope" in done.stderr and "Traceback" not in done.stderr


def test_detect_workers_without_crawl_workers_are_refused(tmp_path: Path) -> None:
    done = run_ipwatch(tmp_path / "home", "crawl", "demo", "--detect-workers", "2")
    assert done.returncode != 0
    assert "--detect-workers needs --workers" in done.stderr
