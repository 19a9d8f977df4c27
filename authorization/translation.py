from authorization.models import (
    ImageCombination,
    ImageType,
    ReasonCode,
    ReviewPoint,
    Scene,
    SceneReviewRule,
    TransactionElement,
    TransactionType,
    TriggerReason,
    TriggerRule,
    TriggerSystem,
)
from bankcore.catalogues import catalogue_register

catalogue_register(TransactionType, fields=("name",))
catalogue_register(TransactionElement, fields=("label",))
catalogue_register(ImageType, fields=("name",))
catalogue_register(ImageCombination, fields=("name",))
catalogue_register(Scene, fields=("name",))
catalogue_register(SceneReviewRule, fields=("name",))
catalogue_register(ReviewPoint, fields=("text",))
catalogue_register(TriggerSystem, fields=("name",))
catalogue_register(TriggerReason, fields=("name",))
catalogue_register(TriggerRule, fields=("name",))
catalogue_register(ReasonCode, fields=("name",))
