"""A reparse's job processes: started, waited for, stopped (``sxworker reparse --jobs``).

Light on purpose: a job process imports this module before it runs anything, so it can ask
to die with its parent at once; the reparse (Scrapy, the archive) is imported after that,
by the job itself (research/reparse.py does the work). The parent holds the archive's run
lock for all of its jobs, so no job may outlive it: Ctrl-C at a terminal is left to the
parent (it stops its jobs), SIGTERM to the command stops them the same way (the command
turns it into Ctrl-C), and on Linux the kernel ends a job whose parent is killed outright.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

# prctl(2)'s PR_SET_PDEATHSIG (Linux): the signal a process gets when its parent dies.
_PR_SET_PDEATHSIG = 1


class ReparseJobError(RuntimeError):
    """A job process of a reparse ended without its result (killed, say); one line."""


def run_jobs(job: dict[str, Any], spans: list[tuple[str | None, str | None]]) -> list[Any]:
    """Each span reparsed in a process of its own, all at once; their results in span order.
    Interrupted here (KeyboardInterrupt), the jobs are stopped before it goes on; a job that
    failed raises its error once all have ended."""
    # Spawned, not forked: each job starts its own reactor in a clean interpreter.
    context = multiprocessing.get_context("spawn")
    running: list[tuple[str, BaseProcess, Connection]] = []
    try:
        for since, until in spans:
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_job_main, args=(job, since, until, os.getpid(), sending))
            process.start()
            sending.close()  # the job's end: the pipe reads as closed once the job is gone
            running.append((f"{since or 'the first issue'} to {until or 'the last'}", process, receiving))
        answers = [answer_of(*started) for started in running]
    finally:
        for _, process, _ in running:
            if process.is_alive():
                process.terminate()
            process.join()
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers


def answer_of(span: str, process: BaseProcess, receiving: Connection) -> Any:
    """What the job for ``span`` sent back, or the error saying it sent nothing."""
    try:
        return receiving.recv()
    except EOFError:
        process.join()
        return ReparseJobError(
            f"the reparse job for {span} ended without its result (exit status {process.exitcode})"
        )


def _job_main(
    job: dict[str, Any], since: str | None, until: str | None, holder: int, sending: Connection
) -> None:
    """A job process: one span reparsed under the lock ``holder`` holds; the result sent back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        import ctypes  # no standard API for prctl(2)

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != holder:  # the parent died before that was set
        return
    from sxworker.research.reparse import reparse_span

    try:
        answer: Any = reparse_span(job, since, until, holder)
    except Exception as exc:  # sent back whole when it can be, as one line when not
        answer = exc
    try:
        sending.send(answer)
    except Exception as exc:
        sending.send(ReparseJobError(f"{type(answer).__name__}: {answer} ({exc})"))
