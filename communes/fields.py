"""Model fields shared by the apps."""

from django.db import models, router

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


class DerivedUnitField(models.ForeignKey):
    """The administrative unit of a related record, copied onto this one on every save.

    ``source`` names a foreign key of the model (``post``), ``path`` the lookup from the
    record it points to down to a unit id (``organisation__unit_id``). A post's organisation
    and an organisation's unit never change (``communes.services``), so the copy never goes
    stale; it lets the area rule and the reports find the records of an area through one
    indexed column instead of three joins. Filled in ``pre_save`` (``Model.save`` and
    ``bulk_create``) from the related records already loaded, or with one query; a restore
    writes the stored value as it is (``raw``). Never edited by hand.
    """

    def __init__(self, *args, source: str = "", path: str = "", **kwargs):
        self.source = source
        self.path = path
        kwargs.setdefault("editable", False)
        kwargs.setdefault("related_name", "+")
        kwargs.setdefault("on_delete", models.PROTECT)
        kwargs.setdefault("db_index", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["path"] = self.path
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def derive(self, model_instance):
        """The unit id reached from ``model_instance``'s ``source`` through ``path``."""
        source = model_instance._meta.get_field(self.source)
        source_id = getattr(model_instance, source.attname)
        if source_id is None:
            return None
        *relations, column = self.path.split("__")
        record = source.get_cached_value(model_instance, default=None)
        for relation in relations:
            if record is None:
                break
            record = record._meta.get_field(relation).get_cached_value(record, default=None)
        if record is not None and getattr(record, column, None) is not None:
            return getattr(record, column)
        using = router.db_for_write(type(model_instance), instance=model_instance)
        return (
            source.related_model._base_manager.using(using)
            .filter(pk=source_id)
            .values_list(self.path, flat=True)
            .first()
        )

    def pre_save(self, model_instance, add):
        if hasattr(type(model_instance), "instance_type"):
            # A history row (django-simple-history) keeps the value of the record it copies.
            return getattr(model_instance, self.attname)
        value = self.derive(model_instance)
        setattr(model_instance, self.attname, value)
        return value
