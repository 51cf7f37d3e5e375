# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Interruptions of a device command (``mdm_device_action``): stop sending on SIGINT / SIGTERM, and keep a record
of every device commanded, also where the module's own output is lost.

How the signals arrive (ansible-core 2.16 to 2.21, ``executor/task_queue_manager.py`` and
``executor/process/worker.py``): ansible-playbook's handler of SIGINT and SIGTERM passes the signal on to each
worker process; a worker runs in its own session (``os.setsid()``), so a Ctrl-C at the terminal reaches ansible-playbook
only, and the worker's handler sends the same signal to its whole process group - the module process among them - and
then ends itself with ``os._exit(1)``.  So the module receives the very SIGINT or SIGTERM that ansible-playbook got,
and the worker that would have read the module's result is gone by the time the module answers: the result reaches
the play's output only when the module alone was signalled.  Hence ``results_file``: a JSON-lines record written as
the command goes, a line before each request (``sending``) and one per device result, flushed each time.

The module process is left running by ansible-playbook; it stops sending at the next request, finishes the requests
already in flight (a request cut in the middle would leave its devices ``unknown``), writes the record and fails with
the per-device results.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import signal
import threading
import time

from ansible_collections.fleetops.mdm.plugins.module_utils.actions import result
from ansible_collections.fleetops.mdm.plugins.module_utils.errors import InvalidInputError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class WaitInterrupted(Exception):
    """A stop signal came while the module followed the commands it had sent (``wait``): it stops following."""


class SendControl:
    """Shared by the threads that send one command: asked before each request, told each result.

    ``starting(ids)`` -> False once a stop signal came (the request is not sent); ``finished(results)`` records them.
    """

    def __init__(self, results_file=None, command=None):
        self.stop = threading.Event()
        self.signal_name = None
        self.started = 0
        self.results = {}
        # True while the commands are followed (wait): a stop signal then ends the wait at once.
        self.waiting = False
        self._closed = False
        self._lock = threading.Lock()
        self._previous = {}
        self._handle = None
        if results_file:
            self._open(results_file, command)

    # -- the record ---------------------------------------------------------------------------------------------
    def _open(self, path, command):
        try:
            # 0600: device names and users are in it; appended to, so several runs can share one file.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._handle = os.fdopen(descriptor, 'a')
        except (IOError, OSError) as exc:
            raise InvalidInputError('cannot write the results file: %s' % exc.strerror, option='results_file')
        self._write(dict(event='start', command=command, pid=os.getpid()))

    def _write(self, record):
        if self._handle is None:
            return
        record['time'] = round(time.time(), 3)
        self._handle.write(json.dumps(record, sort_keys=True) + '\n')
        self._handle.flush()
        try:
            os.fsync(self._handle.fileno())
        except OSError:
            pass

    def starting(self, ids):
        """Called before a request for ``ids``: True to send it, False when asked to stop."""
        with self._lock:
            if self.stop.is_set():
                return False
            self.started += 1
            self._write(dict(event='sending', devices=list(ids)))
            return True

    def finished(self, results):
        """Record the results of devices whose request has finished (in memory and in results_file)."""
        with self._lock:
            for item in results:
                self.results[item['device_id']] = item
                self._write(dict(event='result', **item))

    def close(self, summary=None):
        """The last line of the record (once)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._write(dict(event='end', summary=summary, interrupted=self.signal_name))
            if self._handle is not None:
                self._handle.close()
                self._handle = None

    # -- the signals ----------------------------------------------------------------------------------------------
    @property
    def reason(self):
        """Why a device got no command: the task was stopped before its request."""
        return ('the task was interrupted (%s) before the command was sent to this device: nothing was sent to it'
                % (self.signal_name or 'stop'))

    def not_sent(self, ids):
        """The ``not_sent`` results of devices no request was started for."""
        return [result(device_id, 'not_sent', self.reason) for device_id in ids]

    def _handler(self, signum, _frame):
        # Runs in the main thread between two bytecodes; the sending threads see the event before their next request.
        if self.signal_name is None:
            self.signal_name = signal.Signals(signum).name
        self.stop.set()
        if self.waiting:
            # Nothing is sent while waiting, only read: leave the reads and sleeps, the results so far stand.
            self.waiting = False
            raise WaitInterrupted(self.signal_name)

    def __enter__(self):
        # Python sets signal handlers from the main thread only: run() called from another thread (a program that
        # embeds it, the fault matrix's vendor columns) leaves that program's own signal handling alone.
        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in STOP_SIGNALS:
            self._previous[signum] = signal.signal(signum, self._handler)
        return self

    def __exit__(self, *exc):
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        self._previous.clear()
        return False
