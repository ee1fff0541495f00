"""API routes of the cadres app."""

from rest_framework.routers import SimpleRouter

from cadres.api.views import CadreViewSet, LocalityOverrideViewSet

router = SimpleRouter()
router.register("cadres", CadreViewSet, basename="cadre")
router.register("locality-overrides", LocalityOverrideViewSet, basename="locality-override")

urlpatterns = router.urls
