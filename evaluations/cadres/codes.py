"""The voting and receipt codes are the engine's secret-ballot codes
(workflows.ballots.codes); the names this package's pages, commands and
first migration import from here."""

from workflows.ballots.codes import (  # noqa: F401
    ALPHABET, RECEIPT_LENGTH, VOTING_CODE_LENGTH, display_receipt, display_voting_code, new_receipt_code,
    new_voting_code, normalise_code, normalise_receipt,
)
