"""One base for the errors zhizao raises about input a user can fix or must be told about.

Every error class of the project derives from `ZhizaoError` (and, where it always did, from the built-in it
refines: ValueError, RuntimeError, LookupError), so the CLI and the web catch one type:

    AnalyticsError (MatrixError)   analytics/             unknown year, region or cluster; empty warehouse
    PackError                      reference/pack.py      a broken policy pack: file, entry, field
    WarehouseError                 store/db.py            no warehouse at a path, a newer schema, a locked file
    EngineError                    store/engines.py       an unknown engine, Spark that will not start
    ImportFileError, ImportRefused ingest/tables/         a file that cannot be read; an import that may not run
    CalibrationError               ingest/synth/          a demo that cannot meet the published figures
    ArticleError                   ingest/news/           an article that cannot be read
    USCCError                      uscc.py                a malformed 统一社会信用代码
    Denied, LoginRequired, NotFound, UserError, UploadRejected   web/   access, sign-in, lookups, accounts, uploads

The message says what is wrong and where. The CLI prints it as one line and exits with `exit_code` (never a
traceback, cli/common.py); the web answers with `http_status`.
"""

from __future__ import annotations


class ZhizaoError(Exception):
    """Input a user can fix, or a refusal they must be told about; the message names what and where."""

    exit_code: int = 1  # the CLI's exit status
    http_status: int = 400  # the web's status code
