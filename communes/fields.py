"""Model fields shared by the apps."""

from django.db import models

from communes.text import fold


class FoldedCharField(models.CharField):
    """A search key derived from another field of the same model on every save.

    It is filled in ``pre_save``, which ``Model.save`` and ``bulk_create`` both call, so no
    write path can forget it. It is never edited by hand.
    """

    def __init__(self, *args, source: str = "name", **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs.pop("editable", None)
        if self.db_index:
            kwargs.pop("db_index", None)
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
