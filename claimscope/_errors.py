"""The exception tree.

Every error claimscope raises on purpose is a ``ClaimscopeError``. Each carries the
context it happened in (``source``, ``document_id``) and the exit code the CLI uses for it,
so the CLI can print one clean line and exit without a traceback. Third-party exceptions
are translated into this tree where they enter (fetching, decoding, the store).

Exit codes (documented in docs/cli.md):

====  =========================================================
1     any other claimscope error
2     usage error (bad option; raised by typer/click)
3     unreadable input: empty, binary, undecodable, not a file
4     input over the size limit
5     input is not English
6     a URL could not be fetched (unreachable, HTTP error, type)
7     store error (database unreachable, migration failed, no such document)
====  =========================================================
"""

from __future__ import annotations


class ClaimscopeError(Exception):
    """Base class of every error claimscope raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, source: str | None = None, document_id: str | None = None):
        super().__init__(message)
        self.message = message
        self.source = source
        self.document_id = document_id

    def __str__(self) -> str:
        where = self.source or self.document_id
        return f"{where}: {self.message}" if where else self.message


class InputError(ClaimscopeError):
    """The input cannot be read as an article: empty, binary, undecodable, missing."""

    exit_code = 3


class InputTooLargeError(InputError):
    """The input is over the size limit."""

    exit_code = 4


class LanguageError(InputError):
    """The article is not in English."""

    exit_code = 5

    def __init__(self, message: str, *, language: str | None = None, **kw):
        super().__init__(message, **kw)
        self.language = language


class FetchError(InputError):
    """A URL could not be fetched: unreachable, timed out, HTTP error, wrong content type."""

    exit_code = 6


class StoreError(ClaimscopeError):
    """The store cannot be opened, migrated or written."""

    exit_code = 7


class NotFoundError(StoreError):
    """What was asked for is not in the store (a document id, say)."""
