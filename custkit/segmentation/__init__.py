"""Segmentation and targeting (concepts E1-E4 of the concept map).

- :mod:`~custkit.segmentation.demographics`: groups by age, gender, place, class ([004]);
- :mod:`~custkit.segmentation.rfm`: recency-frequency-monetary quintiles and named segments;
- :mod:`~custkit.segmentation.clusters`: k-means on scaled behaviour, and choosing k;
- :mod:`~custkit.segmentation.profiles`: size, revenue share, CLV and CSAT of any segments;
- :mod:`~custkit.segmentation.targeting`: a message per segment, and a fair targeting test;
- :mod:`~custkit.segmentation.experiment`: several targeting rules compared on the same budget.
"""

from custkit.segmentation.clusters import choose_k, kmeans_pipeline, kmeans_segments
from custkit.segmentation.experiment import compare_targeting, lists_from_segments
from custkit.segmentation.demographics import DEMOGRAPHIC_COLUMNS, LEVELS, demographic_profile, level_order
from custkit.segmentation.profiles import segment_profile
from custkit.segmentation.rfm import RF_GRID, RFM_SEGMENTS, rfm_scores, rfm_segments, rfm_table
from custkit.segmentation.targeting import (
    PLAYBOOK,
    CampaignResult,
    Offer,
    playbook,
    purchase_probabilities,
    response_probability,
    simulate_campaign,
    suggest_actions,
)

__all__ = [
    "DEMOGRAPHIC_COLUMNS",
    "LEVELS",
    "PLAYBOOK",
    "RFM_SEGMENTS",
    "RF_GRID",
    "CampaignResult",
    "Offer",
    "choose_k",
    "compare_targeting",
    "lists_from_segments",
    "demographic_profile",
    "kmeans_pipeline",
    "kmeans_segments",
    "level_order",
    "playbook",
    "purchase_probabilities",
    "response_probability",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
    "segment_profile",
    "simulate_campaign",
    "suggest_actions",
]
