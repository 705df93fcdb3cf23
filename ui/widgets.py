"""Small widget factories shared by the calculators and pages, so that the same input or
result looks and behaves the same everywhere.

Only presentation: the input form and its rows, spin boxes, the interval selector, the
label-and-value result grid and the labels around it. Nothing here computes a figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QWidget,
)

#: The framed green box under a result grid that states the answer in one sentence.
SUMMARY_STYLE = (
    "QLabel { background: #eef5ec; border: 1px solid #b9d7b1; border-radius: 4px;"
    " padding: 6px 8px; }"
)
#: The grey text of an empty page ("nothing to show yet, do this first").
PLACEHOLDER_STYLE = "color: #666666; font-size: 13pt;"


def input_form(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A group box with an empty form, its labels right-aligned against the fields."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return box, form


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic (``&Target:``) moves the focus to ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def pair_row(
    first: QWidget, joiner: str | None, second: QWidget, stretch: tuple[int, int] = (3, 2)
) -> QHBoxLayout:
    """Two fields on one form row, e.g. ``[80 %] in [20 s]`` or ``[08:00] to [18:00]``:
    ``joiner`` (a short word, or None for nothing) between them, ``stretch`` their shares
    of the width."""
    row = QHBoxLayout()
    row.setSpacing(4)
    row.addWidget(first, stretch[0])
    if joiner is not None:
        row.addWidget(QLabel(joiner))
    row.addWidget(second, stretch[1])
    return row


def double_spin(
    low: float, high: float, value: float, step: float, suffix: str, decimals: int = 1
) -> QDoubleSpinBox:
    """A right-aligned, accelerated spin box for a decimal input.

    The range is set before the value, so ``value`` is not clipped by the default range.
    """
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setAccelerated(True)
    return spin


def int_spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
    """A right-aligned, accelerated spin box for a whole-number input."""
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)
    spin.setAccelerated(True)
    return spin


def _minutes_text(minutes: int) -> str:
    return QCoreApplication.translate("widgets", "%1 minutes").replace("%1", str(minutes))


def interval_combo(choices: Sequence[int], current: int) -> QComboBox:
    """A selector of interval lengths, ``"30 minutes"`` shown, the minutes (int) as item
    data; ``current`` (one of ``choices``) selected."""
    combo = QComboBox()
    for minutes in choices:
        combo.addItem(_minutes_text(minutes), minutes)
    combo.setCurrentIndex(list(choices).index(current))
    return combo


def select_interval(combo: QComboBox, minutes: int) -> None:
    """Select ``minutes`` in an :func:`interval_combo`, adding it at the end when it is not
    one of the choices (e.g. 45 minutes from an imported history)."""
    index = combo.findData(int(minutes))
    if index < 0:
        combo.addItem(_minutes_text(minutes), int(minutes))
        index = combo.count() - 1
    combo.setCurrentIndex(index)


def result_box(title: str) -> tuple[QGroupBox, QGridLayout]:
    """A group box with an empty two-column grid for :func:`value_rows`: names on the left,
    the values taking the remaining width."""
    box = QGroupBox(title)
    grid = QGridLayout(box)
    grid.setHorizontalSpacing(14)
    grid.setColumnStretch(1, 1)
    return box, grid


def value_rows(grid: QGridLayout, names: Sequence[tuple[str, str]]) -> dict[str, QLabel]:
    """One row per ``(key, name)`` from row 0 down: the name in grey, then an empty, large,
    selectable value label. Returns the value labels by key (fill them with ``setText``)."""
    labels: dict[str, QLabel] = {}
    for row, (key, text) in enumerate(names):
        name = QLabel(text)
        name.setStyleSheet("color: #555555;")
        value = QLabel()
        value.setStyleSheet("font-size: 13pt; font-weight: 600;")
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        grid.addWidget(name, row, 0)
        grid.addWidget(value, row, 1)
        labels[key] = value
    return labels


def show_progress(bar: QProgressBar, fraction: float, message: str, with_message: bool) -> None:
    """Show ``fraction`` on a 0-1000 bar, with ``message`` before the percentage when
    ``with_message`` (pages stop showing messages once Cancel was pressed)."""
    bar.setValue(int(round(fraction * 1000)))
    if message and with_message:
        bar.setFormat(f"{message} · %p %")


def rich_label(style: str) -> QLabel:
    """An empty, word-wrapped rich-text label with the style sheet ``style``."""
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setStyleSheet(style)
    return label


def summary_label() -> QLabel:
    """The answer under a result grid, in a green frame (:data:`SUMMARY_STYLE`)."""
    return rich_label(SUMMARY_STYLE)


def placeholder_label(text: str, word_wrap: bool = False) -> QLabel:
    """The centred grey text a page shows while it has nothing to show."""
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    if word_wrap:
        label.setWordWrap(True)
    label.setStyleSheet(PLACEHOLDER_STYLE)
    return label


def on_change(slot: Callable[..., object], *widgets: QWidget) -> None:
    """Call ``slot`` whenever any of the input ``widgets`` changes value (spin boxes,
    combo boxes, check boxes): every field of a calculator recomputes the same way."""
    for widget in widgets:
        if isinstance(widget, QAbstractSpinBox):
            widget.valueChanged.connect(slot)  # type: ignore[attr-defined]
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(slot)
        elif isinstance(widget, QAbstractButton):
            widget.toggled.connect(slot)
        else:
            raise TypeError(f"on_change: no change signal for {type(widget).__name__}")


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    """A dialog's Close button row."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.close)
    return buttons
