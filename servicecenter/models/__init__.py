from servicecenter.models.applications import Application, Notice, SubmittedMaterial
from servicecenter.models.items import Material, ServiceItem
from servicecenter.models.ratings import Complaint, Rating, Rectification

__all__ = [
    "Application",
    "Complaint",
    "Material",
    "Notice",
    "Rating",
    "Rectification",
    "ServiceItem",
    "SubmittedMaterial",
]
