"""API routes of the communes app."""

from rest_framework.routers import SimpleRouter

from communes.api.views import OrganisationViewSet, PostViewSet, RoleViewSet, UnitViewSet

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("roles", RoleViewSet, basename="role")
router.register("posts", PostViewSet, basename="post")

urlpatterns = router.urls
