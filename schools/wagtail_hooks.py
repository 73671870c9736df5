from wagtail import hooks

from .admin_viewsets import SchoolViewSet


@hooks.register("register_admin_viewset")
def register_schools():
    return SchoolViewSet("schools")
