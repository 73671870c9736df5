"""The school's own name, logo, colours and office contact: a Wagtail site setting, so no code is needed.

Colours are checked for contrast when saved (WCAG 2.2 AA), because they are used behind white text in the
header and on buttons: a school cannot pick a brand colour that makes its own site hard to read.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from schools.permissions import OwnSchoolsSitePermissionPolicy

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Enter a colour as # and six hexadecimal digits, e.g. #1d4f7a.")
WHITE = "#ffffff"
DEFAULT_MAIN_COLOUR = "#1d4f7a"
DEFAULT_ACCENT_COLOUR = "#b3261e"


def relative_luminance(colour):
    """WCAG 2.x relative luminance of a #rrggbb colour."""

    def channel(hex_pair):
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@register_setting(icon="image")
class SchoolBranding(BaseSiteSetting):
    school_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="Shown at the top of every page and in page titles. Leave blank to use the site's name.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown beside the school's name. A square or wide image at least 96 pixels tall works best.",
    )
    logo_alt_text = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the logo shows, for people who cannot see it, e.g. 'Oakbrook Academy crest'. "
        "Leave blank to use the school's name followed by 'logo'.",
    )
    main_colour = models.CharField(
        max_length=7,
        default=DEFAULT_MAIN_COLOUR,
        validators=[HEX_COLOUR],
        help_text="The header, buttons and links. It must be dark enough for white text to be read on it.",
    )
    accent_colour = models.CharField(
        max_length=7,
        default=DEFAULT_ACCENT_COLOUR,
        validators=[HEX_COLOUR],
        help_text="Marks the rules staff must follow ('must not'). It must stand out against white.",
    )
    office_email = models.EmailField(blank=True, help_text="Where parents and staff can write to the school office.")
    office_phone = models.CharField(max_length=40, blank=True)
    confirm_by_signing_in_again = models.BooleanField(
        "ask people to sign in again to confirm a policy",
        default=False,
        help_text="When someone confirms they have read a policy, they re-enter their password or a two-step code "
        "(or sign in again with their school Microsoft or Google account) unless they did in the last five "
        "minutes. The receipt records how they confirmed.",
    )

    panels = [
        FieldPanel("school_name"),
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("logo_alt_text")], heading="Logo"),
        MultiFieldPanel([FieldPanel("main_colour"), FieldPanel("accent_colour")], heading="Colours"),
        MultiFieldPanel([FieldPanel("office_email"), FieldPanel("office_phone")], heading="School office"),
        MultiFieldPanel([FieldPanel("confirm_by_signing_in_again")], heading="Confirming policies"),
    ]

    class Meta:
        verbose_name = "School name, logo and colours"

    @classmethod
    def get_permission_policy(cls):
        # In a trust, each school's people change their own school's branding only.
        return OwnSchoolsSitePermissionPolicy(cls)

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        site_name = self.site.site_name if self.site_id else ""
        return self.school_name or site_name or "School policies"

    @property
    def logo_alt(self):
        return self.logo_alt_text or f"{self.display_name} logo"

    def clean(self):
        super().clean()
        errors = {}
        # Text (4.5:1) on the main colour; the accent colour is a border and a label (3:1 for non-text).
        for field, minimum in (("main_colour", 4.5), ("accent_colour", 3.0)):
            value = getattr(self, field)
            if value and HEX_COLOUR.regex.match(value):
                ratio = contrast_ratio(value, WHITE)
                if ratio < minimum:
                    errors[field] = (
                        f"This colour is too light: its contrast with white is {ratio:.1f} to 1 and it needs to be "
                        f"at least {minimum:g} to 1 so that everyone can read the site. Choose a darker shade."
                    )
        if errors:
            raise ValidationError(errors)


def shade(colour, factor):
    """A darker shade of a #rrggbb colour (factor 0-1), for hover states: always at least as readable."""
    return "#" + "".join(f"{round(int(colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


def brand_stylesheet(branding, dark):
    """The school's colours as CSS custom properties (values are validated #rrggbb, so safe to emit)."""
    return f":root {{ --brand: {branding.main_colour}; --brand-dark: {dark}; --accent: {branding.accent_colour}; }}\n"
