"""Page forms of the import: the upload, and the column mapping the user may correct."""

from __future__ import annotations

from django import forms

from baomi.imports.choices import ImportKind
from baomi.imports.columns import columns_of
from baomi.web.forms import BootstrapMixin

IGNORE = ""


class UploadForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label="导入内容", choices=ImportKind.choices)
    file = forms.FileField(
        label="台帐文件", help_text="xlsx、xls，或 UTF-8/GBK 编码的 csv；表头可在标题行之下"
    )


class MappingForm(BootstrapMixin, forms.Form):
    """One choice per known field: which column of the file holds it (or none)."""

    def __init__(self, *args, kind: str, headers: list[str], mapping: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(IGNORE, "（不导入）")] + [
            (str(i + 1), f"第{i + 1}列：{h}" if h else f"第{i + 1}列")
            for i, h in enumerate(headers)
        ]
        for name, names in columns_of(kind).items():
            initial = mapping.get(name)
            self.fields[name] = forms.ChoiceField(
                label=names[0],
                choices=choices,
                required=False,
                initial=str(initial + 1) if initial is not None else IGNORE,
            )

    def corrections(self) -> dict[str, str]:
        """{field: column number or ''} for every field: the mapping as the user left it."""
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}
