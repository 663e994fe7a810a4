"""Governance proposals: a group's decisions, validated, applied to a sandbox of the mesh."""

from .apply import ApplyResult
from .model import PROPOSAL_VERSION, Proposal
from .validate import MAX_PROPOSAL_BYTES, ProposalError, load_proposal

__all__ = [
    "MAX_PROPOSAL_BYTES",
    "PROPOSAL_VERSION",
    "ApplyResult",
    "Proposal",
    "ProposalError",
    "load_proposal",
]
