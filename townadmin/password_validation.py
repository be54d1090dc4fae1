"""Password rules of a level-3 protected system (等保三级): several kinds of characters.

Length is Django's MinimumLengthValidator (``PASSWORD_MIN_LENGTH``, default 10); this
module adds the rule that a password mixes at least ``PASSWORD_MIN_CHARACTER_CLASSES``
(default 3) of the four kinds: upper-case letters, lower-case letters, digits, symbols.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext_lazy

TOO_FEW_CHARACTER_CLASSES = ngettext_lazy(
    "Use at least %(min_classes)d kind of character: upper-case letters, lower-case "
    "letters, digits, symbols.",
    "Use at least %(min_classes)d of the four kinds of characters: upper-case letters, "
    "lower-case letters, digits, symbols.",
    "min_classes",
)


def character_classes(password: str) -> set[str]:
    """The kinds of characters in ``password``; anything not a letter case or digit is a symbol."""
    kinds = set()
    for char in password:
        if char.isupper():
            kinds.add("upper")
        elif char.islower():
            kinds.add("lower")
        elif char.isdigit():
            kinds.add("digit")
        else:
            kinds.add("symbol")  # punctuation, spaces, and letters without case such as 汉字
    return kinds


class CharacterClassesValidator:
    """Refuse a password with fewer than ``min_classes`` of the four kinds of characters."""

    def __init__(self, min_classes=3):
        if not 1 <= min_classes <= 4:
            raise ValueError("min_classes must be between 1 and 4")
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(
                TOO_FEW_CHARACTER_CLASSES,
                code="password_too_few_character_classes",
                params={"min_classes": self.min_classes},
            )

    def get_help_text(self):
        return TOO_FEW_CHARACTER_CLASSES % {"min_classes": self.min_classes}
