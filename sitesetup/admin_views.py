"""A site administrator adds a school to the trust, with its own site and pages, from the admin (the same as
`manage.py add_school`)."""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.models import Site

from schools.models import URN, School

from .setup import add_school

ADD_SCHOOL = "schools.add_school"
HOSTNAME = RegexValidator(
    r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]{2,}$",
    "Write the address without https:// or a slash, e.g. elm.oaktrust.org.uk.",
    flags=re.IGNORECASE,
)


class AddSchoolForm(forms.Form):
    name = forms.CharField(max_length=150, help_text="The school's full name, e.g. Elm Primary School.")
    short_name = forms.CharField(max_length=40, required=False, help_text="Where space is short, e.g. Elm.")
    urn = forms.CharField(label="URN", max_length=6, required=False, validators=[URN])
    hostname = forms.CharField(
        label="Its site's address",
        max_length=255,
        validators=[HOSTNAME],
        help_text="Where staff and parents will reach its pages. Ask whoever runs the trust's web addresses to "
        "point it at this server.",
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if School.objects.filter(name__iexact=name).exists():
            raise ValidationError("There is already a school with this name.")
        return name

    def clean_hostname(self):
        hostname = self.cleaned_data["hostname"].strip().lower()
        if Site.objects.filter(hostname=hostname).exists():
            raise ValidationError("Another site already answers at this address.")
        return hostname


def add_school_view(request):
    if not request.user.has_perm(ADD_SCHOOL):
        raise PermissionDenied
    form = AddSchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                add_school(data["name"], data["hostname"], short_name=data["short_name"], urn=data["urn"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(
                request,
                f"{data['name']} has its own site at {data['hostname']}, with a staff hub, parents' page, policies "
                "and forms. Set its name, badge and colours in Settings, for that site.",
            )
            return redirect("schools:index")
    return TemplateResponse(request, "sitesetup/admin/add_school.html", {"form": form})
