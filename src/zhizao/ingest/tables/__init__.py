"""Excel/CSV imports: the template, validation of everything, and an all-or-nothing load.

spec.py      the sheets and columns as data (headers, field names, types, checks)
units.py     units and their spellings;  codes.py  written forms of coded values (levels, scopes, metrics …)
template.py  `zhizao template`: the workbook users fill in
read.py      .xlsx / .csv -> raw rows;  header.py  header rows -> columns and units
parse.py     cell parsers;  resolve.py  codes through the policy pack
validate.py  every check, warehouse read-only: cells.py (cells), rows.py (rows and tables), district.py (a
             district user's scope), staged.py (what it hands on);  load.py  one transaction
report.py    the error report and the console summary;  run.py  the two together
"""

from .run import Outcome, pack_for, run_import
from .spec import TABLES
from .template import write_template

__all__ = ["Outcome", "TABLES", "pack_for", "run_import", "write_template"]
