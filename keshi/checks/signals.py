"""What checks tells the apps above it, without importing them.

``inspection_completed`` is sent (inside the completing transaction) each time an inspection
becomes 已完成 — again after a 重新打开 and a second completion. keshi.appraisal listens to
turn results into points (检查结果 rules); a receiver must be idempotent.
"""

from django.dispatch import Signal

inspection_completed = Signal()  # kwargs: inspection
