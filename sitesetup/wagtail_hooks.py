from wagtail import hooks

from .admin_viewsets import AddSchoolViewSet


@hooks.register("register_admin_viewset")
def register_add_school():
    return AddSchoolViewSet()
