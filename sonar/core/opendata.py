"""The catalogue as open data: one JSON file, one CSV file per dataset, a data package.

Each app that owns content lists its datasets in `EXPORTS` in its own `content.py`, next to
the `KINDS` it loads; `sonar export` writes them all. Rules:
- every export carries the licence (Licence Ouverte 2.0, Etalab) and the attribution;
- rows name related objects by their key, never by a database id, so two exports of the same
  content are identical, whatever the database they come from;
- French and English texts sit side by side in `<field>_fr` and `<field>_en` columns;
- keys a model keeps as one delimited text (a resource's " art science ") are exported as lists;
- the data package describes every column with its Table Schema type, and the allowed values
  of a column that has a fixed list of them;
- the CSV files go through sonar/core/csvsafe.py like every CSV Sonar writes. The datasets hold
  only the reference content (no visitor's text), and none of its texts starts like a formula,
  so the files are unchanged by it (tests/core/test_csvsafe.py checks it): numbers, negative
  ones included, are written as they are.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Max

from sonar.core import csvsafe
from sonar.core.content import content_modules
from sonar.core.models import Revision

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte 2.0 (Etalab)",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}
ATTRIBUTION = (
    "Sonar, d’après le journal Sonar 1.0 (France Urbaine et La 27e Région, 2018) ; "
    "les ajouts de Sonar sont marqués comme tels."
)
JSON_FILE = "sonar.json"
PACKAGE_FILE = "datapackage.json"


@dataclass
class Dataset:
    """One table of the export: `columns` maps a column name to an ORM lookup on `model`."""

    name: str
    title: str
    model: type
    columns: dict[str, str]
    order_by: tuple[str, ...] = ()
    # Columns whose field keeps keys in one text delimited by spaces: exported as lists.
    key_lists: tuple[str, ...] = ()

    def rows(self):
        queryset = self.model.objects.all()
        if self.order_by:
            queryset = queryset.order_by(*self.order_by)
        names = list(self.columns)
        fixed = [name for name in names if _field(self.model, self.columns[name]).choices]
        for values in queryset.values_list(*self.columns.values()):
            row = dict(zip(names, values, strict=True))
            for name in self.key_lists:
                row[name] = row[name].split()
            for name in fixed:
                # A value not given is missing (null), not an empty text outside the list.
                if row[name] == "":
                    row[name] = None
            yield row

    def schema_fields(self):
        """Each column as a Table Schema field: its name, its type, its allowed values if fixed."""
        fields = []
        for name, lookup in self.columns.items():
            model_field = _field(self.model, lookup)
            described = {
                "name": name,
                "type": _TYPES.get(model_field.get_internal_type(), "string"),
            }
            if name in self.key_lists or model_field.get_internal_type() == "JSONField":
                described["type"] = "array" if model_field.default is not dict else "object"
            if model_field.choices and name not in self.key_lists:
                described["constraints"] = {
                    "enum": [value for value, _label in model_field.choices]
                }
            fields.append(described)
        return fields

    def csv_rows(self):
        """Rows for CSV: lists and objects (steps, sources) are written as JSON text."""
        for row in self.rows():
            yield {
                k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                for k, v in row.items()
            }


# Django's field types as Table Schema types (https://specs.frictionlessdata.io/table-schema/).
_TYPES = {
    "BooleanField": "boolean",
    "IntegerField": "integer",
    "BigIntegerField": "integer",
    "SmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "PositiveBigIntegerField": "integer",
    "FloatField": "number",
    "DecimalField": "number",
    "DateTimeField": "datetime",
    "DateField": "date",
}


def _field(model, lookup):
    """The model field an ORM lookup ("question__questionnaire__key") ends on."""
    *relations, name = lookup.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    field = model._meta.get_field(name)
    return field.target_field if isinstance(field, models.ForeignKey) else field


def i18n_columns(*names):
    """`title` → the `title_fr` and `title_en` columns."""
    return {f"{name}_{code}": f"{name}_{code}" for name in names for code in ("fr", "en")}


def datasets():
    """Every app's EXPORTS, in the order of INSTALLED_APPS."""
    return [dataset for module in content_modules() for dataset in getattr(module, "EXPORTS", [])]


def last_change():
    """The date of the latest revision: the data is up to date as of then."""
    latest = Revision.objects.aggregate(latest=Max("created_at"))["latest"]
    return latest.isoformat() if latest else None


def export(directory):
    """Write every dataset to `directory`; return the list of files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    metadata = {
        "title": "Sonar — catalogue de l’innovation publique locale",
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "source": settings.SONAR_BASE_URL,
        "updated_at": last_change(),
    }
    document = {**metadata, "datasets": {}}
    resources, written = [], []
    for dataset in datasets():
        rows = list(dataset.rows())
        document["datasets"][dataset.name] = rows
        path = directory / f"{dataset.name}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            writer = csvsafe.DictWriter(f, fieldnames=list(dataset.columns))
            writer.writeheader()
            writer.writerows(dataset.csv_rows())
        written.append(path)
        resources.append(
            {
                "name": dataset.name,
                "title": dataset.title,
                "path": path.name,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "licenses": [LICENCE],
                "schema": {"fields": dataset.schema_fields()},
            }
        )
    path = directory / JSON_FILE
    path.write_text(
        json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
    )
    written.insert(0, path)
    # The Frictionless Data descriptor: how open-data portals and tools read a set of CSVs.
    package = {
        "name": "sonar",
        "title": metadata["title"],
        "licenses": [LICENCE],
        "sources": [{"title": ATTRIBUTION, "path": settings.SONAR_BASE_URL}],
        "updated": metadata["updated_at"],
        "resources": resources,
    }
    path = directory / PACKAGE_FILE
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    return written
