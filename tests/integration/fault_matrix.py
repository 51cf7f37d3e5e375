# -*- coding: utf-8 -*-
# Copyright: (c) 2026, fleetops.mdm contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the fault matrix of test_fault_matrix.py and write docs/reliability.md (`make reliability`).

The test checks the same matrix and that the checked-in document matches it; only this script writes the
document, so that `make test` leaves the tree as it found it.

    python tests/integration/fault_matrix.py [OUTPUT]     (default: docs/reliability.md)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import pathlib
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    # The matrix shares helpers with the integration tests (conftest, test_inventory, ...), imported by file name.
    sys.path.insert(0, HERE)
    import test_fault_matrix  # pylint: disable=import-outside-toplevel,import-error

    output = argv[1] if len(argv) > 1 else test_fault_matrix.DOC
    work = tempfile.mkdtemp(prefix='fault-matrix-')
    try:
        matrix = test_fault_matrix.run_matrix(pathlib.Path(work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    test_fault_matrix.write_doc(matrix, output)
    print(test_fault_matrix.slowest(matrix))
    print('wrote %s' % output)
    if matrix.problems:
        print('cells that fail their invariants:\n' + '\n'.join(matrix.problems), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
