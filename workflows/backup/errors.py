from django.utils import translation
from django.utils.translation import gettext_lazy as _


class BackupError(Exception):
    """A backup or restore refused or failed. Its message is told in Chinese
    and in English: the operator restoring a server may read either."""

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(self.in_language("en"))

    def in_language(self, language):
        # A parameter may itself be a BackupError (the reason inside
        # "damaged: …"): it is told in the same language.
        with translation.override(language):
            params = {
                key: value.in_language(language) if isinstance(value, BackupError) else value
                for key, value in self.params.items()
            }
            return str(self.message) % params

    def bilingual(self):
        return f"{self.in_language('zh-hans')}\n{self.in_language('en')}"


def damaged(reason, **params):
    """The refusal of an archive that is not as it was written: `reason`
    (a lazy message with `params`) says what is wrong."""
    return BackupError(_("The backup archive is damaged and was not restored: %(reason)s"),
                       reason=BackupError(reason, **params))
