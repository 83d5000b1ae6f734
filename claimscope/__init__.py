"""claimscope: a ledger of source-attributed claims from news pages."""

from ._errors import (
    ClaimscopeError,
    FetchError,
    InputError,
    InputTooLargeError,
    LanguageError,
    NotFoundError,
    StoreError,
)
from ._models import (
    SCHEMA_VERSION,
    Attribution,
    Content,
    Cue,
    Document,
    Entity,
    Ledger,
    Quantity,
    Speaker,
    TimeExpr,
    Via,
)

from .pipeline import Record, extract, extract_many, extract_source

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Attribution",
    "ClaimscopeError",
    "Content",
    "Cue",
    "Document",
    "Entity",
    "FetchError",
    "InputError",
    "InputTooLargeError",
    "LanguageError",
    "Ledger",
    "NotFoundError",
    "Quantity",
    "Record",
    "Speaker",
    "StoreError",
    "TimeExpr",
    "Via",
    "__version__",
    "extract",
    "extract_many",
    "extract_source",
]
