"""Wagtail's spreadsheet exports (its reports and listings, `?export=csv`) write the console's
data, page titles and user names among them, to CSV: their cells go through
`marketplace.csvsafe` like every CSV of the product. (Its XLSX export already stores a value
that looks like a formula as text.)"""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from marketplace.csvsafe import safe_cell


def _write_csv_row(self, writer, row_dict):
    return writer.writerow({
        field: safe_cell(self.preprocess_field_value(field, value, self.FORMAT_CSV))
        for field, value in row_dict.items()})


def make_csv_exports_safe() -> None:
    """Called once from `CmsConfig.ready()`."""
    SpreadsheetExportMixin.write_csv_row = _write_csv_row
