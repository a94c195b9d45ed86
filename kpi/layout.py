"""The layout of the template every clerk fills, shared by the template writer and the reader:
the cover sheet's rows, the columns of every form sheet.

Readers find values by the code in column A, never by a fixed address; these constants say where
the template puts things when it is written, and which codes are not data elements.
"""

from __future__ import annotations

META_AGENCY = "META_AGENCY"
META_PERIOD = "META_PERIOD"
META_REPORTER = "META_REPORTER"
META_PHONE = "META_PHONE"
META_SUBMITTED = "META_SUBMITTED"
META_CODES = (META_AGENCY, META_PERIOD, META_REPORTER, META_PHONE, META_SUBMITTED)
# Keys of kpi.i18n.TEXTS naming each cover row for the clerk.
META_TEXT_KEYS = {META_AGENCY: "meta_agency", META_PERIOD: "meta_period",
                  META_REPORTER: "meta_reporter", META_PHONE: "meta_phone",
                  META_SUBMITTED: "meta_submitted"}

COVER_SHEET = "Thông tin chung"
HELP_SHEET = "Hướng dẫn"
# Widths in characters. Each sheet prints one A4 page wide in portrait at 100 %: 93 characters
# fill the page between margins of 0.5 inch. The code column is narrow (codes are for kpi, in
# grey 9 point); the label column takes what is left.
COLUMNS = (("A", 15), ("B", 5), ("C", 40), ("D", 11), ("E", 10), ("F", 12))
COVER_COLUMNS = (("A", 15), ("B", 5), ("C", 22), ("D", 22), ("E", 20), ("F", 9))
HELP_WIDTH = 93  # the instructions sheet: one column of text
HEADER_ROW = 4
FIRST_ROW = 5
CODE_COL, VALUE_COL, NOTE_COL = 0, 4, 5  # 0-based: A, E, F
