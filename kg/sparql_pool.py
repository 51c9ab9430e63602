"""Worker processes that run queries for `kg serve`, under a time limit.

Each query goes to an idle worker process (kg/sparql_worker.py). If no reply
comes within the time limit the worker is killed (SIGKILL: pyoxigraph cannot
interrupt a query, and a thread cannot be stopped, so killing the process is
the only way to get the core back) and a fresh one is started in the
background. Workers are started with the "spawn" method: forking a threaded
server is unsafe.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
import threading
import time

from . import sparql_worker

_CTX = mp.get_context("spawn")
START_TIMEOUT = 60.0


class PoolError(RuntimeError):
    """The workers cannot start (store missing, unreadable …); the message says why."""


class _Worker:
    def __init__(self, store_path: str, prefixes: dict):
        self.conn, child = _CTX.Pipe()
        self.proc = _CTX.Process(target=sparql_worker.main, args=(child, store_path, prefixes),
                                 daemon=True, name="kg-sparql-worker")
        self.proc.start()
        child.close()

    def wait_ready(self) -> None:
        if not self.conn.poll(START_TIMEOUT):
            self.kill()
            raise PoolError("a query worker did not start in time")
        try:
            kind, msg = self.conn.recv()
        except EOFError:
            raise PoolError("a query worker exited while starting") from None
        if kind != "ready":
            self.kill()
            raise PoolError(msg)

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    """`size` worker processes over the read-only store at `store_path`."""

    def __init__(self, store_path: str, prefixes: dict, size: int = 2, timeout: float = 10.0):
        self.store_path, self.prefixes = store_path, prefixes
        self.timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        workers = [self._start() for _ in range(max(1, size))]
        try:
            for w in workers:
                w.wait_ready()
        except PoolError:
            self.close()
            raise
        for w in workers:
            self._idle.put(w)

    def _start(self) -> _Worker:
        w = _Worker(self.store_path, self.prefixes)
        with self._lock:
            self._all.add(w)
        return w

    def _replace(self, dead: _Worker) -> None:
        """Kill `dead` and bring a new worker up in the background."""
        with self._lock:
            self._all.discard(dead)
        dead.kill()

        def spawn():
            if self._closed:
                return
            w = self._start()
            try:
                w.wait_ready()
            except PoolError:
                return
            self._idle.put(w)
        threading.Thread(target=spawn, daemon=True).start()

    def run(self, job: dict) -> tuple:
        """("ok", content_type, body) or ("error", status, message), within the time limit."""
        start = time.monotonic()
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return ("error", 503, f"every query worker stayed busy for {self.timeout:g} s; try again later")
        left = max(0.0, self.timeout - (time.monotonic() - start))
        try:
            w.conn.send(job)
            if w.conn.poll(left):
                reply = w.conn.recv()
                self._idle.put(w)
                return reply
        except (EOFError, OSError, BrokenPipeError):
            self._replace(w)
            return ("error", 500, "the query worker died; the query was not answered (try again)")
        self._replace(w)
        return ("error", 503, f"the query ran over the time limit of {self.timeout:g} s and was stopped "
                              f"(kg serve --timeout): narrow it or add a LIMIT")

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers, self._all = list(self._all), set()
        for w in workers:
            w.kill()
