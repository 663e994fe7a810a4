"""Governance proposals: a group's decisions, validated, applied to a sandbox of the mesh."""

from .apply import MAX_PROPOSAL_BYTES, ApplyResult
from .model import PROPOSAL_VERSION, Proposal
from .validate import ProposalError

__all__ = ["MAX_PROPOSAL_BYTES", "PROPOSAL_VERSION", "ApplyResult", "Proposal", "ProposalError"]
