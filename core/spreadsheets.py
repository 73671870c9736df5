"""CSV downloads that are safe to open in a spreadsheet."""

import csv
import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def safe_cell(value):
    """Spreadsheet apps run cells that start with = + - @ as formulas; a name must never do that."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def download_name(filename):
    """A file name fit for a download header, whatever it was made from (a person's name may hold a line break,
    quotes or letters of any language): no control characters, no quotes or slashes, at most 150 characters."""
    kept = "".join(ch if ch.isprintable() and ch not in '"\\/' else "-" for ch in filename)
    return re.sub(r"-{2,}", "-", kept).strip("-. ")[:150] or "download.csv"


def csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, download_name(filename))
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response


def make_wagtail_exports_formula_safe():
    """Wagtail's admin reports (site history, page and workflow reports, search terms) export CSV with values
    written as they are, so a person named `=HYPERLINK(...)` becomes a live formula in the download. Every
    such export goes through SpreadsheetExportMixin.write_csv_row; escape its cells as ours are. (Its XLSX
    export already stores formula-like text as text.)"""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin.write_csv_row, "formula_safe", False):
        return

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
                for field, value in row_dict.items()
            }
        )

    write_csv_row.formula_safe = True
    SpreadsheetExportMixin.write_csv_row = write_csv_row
