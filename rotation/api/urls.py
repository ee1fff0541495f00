"""API routes of decisions, movements, assignments and terms."""

from rest_framework.routers import SimpleRouter

from rotation.api.views import AssignmentViewSet, DecisionViewSet, MovementViewSet, TermViewSet

router = SimpleRouter()
router.register("decisions", DecisionViewSet, basename="decision")
router.register("movements", MovementViewSet, basename="movement")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("terms", TermViewSet, basename="term")

urlpatterns = router.urls
