"""Plain specifications of a rule set: what the selectors load from the database and the
compiler (compiler.py) turns into the compiled rule set. Data only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RuleSpec:
    code: str
    name: str
    reason_code: str
    transaction_code: str | None  # None: every transaction
    trigger_systems: tuple[str, ...]  # empty: every channel
    condition: Any
    position: int = 0


@dataclass(frozen=True, slots=True)
class TransactionSpec:
    code: str
    name: str
    business_type: str
    elements: dict[str, str]  # name → element type
    required_elements: frozenset[str] = frozenset()
    labels: dict[str, str] = field(default_factory=dict)  # name → label (rule set's language)


@dataclass(frozen=True, slots=True)
class ProcessingSpec:
    code: str
    reason_code: str
    outcome: str  # "authorize" | "refuse"
    mode: str
    level: int
    authorizer_role: str
    authorizers_required: int
    time_limit_minutes: int | None
    escalation_level: int | None
    scene_code: str | None


@dataclass(frozen=True, slots=True)
class ImageRef:
    code: str
    name: str
    kind: str
    min_count: int = 1


@dataclass(frozen=True, slots=True)
class ReviewPointRef:
    code: str
    text: str
    mandatory: bool


@dataclass(frozen=True, slots=True)
class SceneSpec:
    code: str
    name: str
    classification: str
    business_type: str
    transaction_code: str | None
    channel: str | None
    required_images: tuple[ImageRef, ...] = ()
    optional_images: tuple[ImageRef, ...] = ()
    review_points: tuple[ReviewPointRef, ...] = ()


@dataclass(frozen=True)
class RuleSetSpec:
    version_id: int
    version_number: int
    transactions: dict[str, TransactionSpec]
    channels: frozenset[str]
    reasons: dict[str, str]  # code → name
    rules: tuple[RuleSpec, ...]
    processing: tuple[ProcessingSpec, ...] = ()
    scenes: tuple[SceneSpec, ...] = ()
    # (catalogue, language) → {code: name}: how the sentences name the values of catalogues
    # kept in tables (sentences.ValueNames; None: they read as codes).
    value_names: Any = None
