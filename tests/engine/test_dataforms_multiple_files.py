"""Two options of the palette a form described as data may set: a file
field taking several files (each checked by size and content, at most
`max_files`), and a date of birth checked against an ID number field of
the same form; each checked when the form is described and when it is
filled."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict

from tests.conftest import PDF_BYTES, valid_id_number
from workflows.dataforms.definition import build_form_class, problems_of_fields
from workflows.dataforms.completeness import draft_form_class

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ID_NUMBER = valid_id_number("11010119850301123")  # born 1985-03-01

FIELDS = [
    {"key": "id_number", "type": "id_number", "label": "ID number", "required": False},
    {"key": "born", "type": "date", "label": "Born", "required": False, "not_future": True,
     "matches_id": "id_number"},
    {"key": "other_day", "type": "date", "label": "Another day", "required": False},
    {"key": "papers", "type": "file", "label": "Papers", "required": False, "types": ["pdf", "png"], "max_mb": 1,
     "multiple": True, "max_files": 3},
    {"key": "photo", "type": "file", "label": "Photo", "required": False, "types": ["png"]},
]


def _pdf(name="a.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _form(data=None, papers=(), fields=FIELDS, form_class=None):
    files = MultiValueDict({"papers": list(papers)}) if papers else MultiValueDict()
    return (form_class or build_form_class(fields))(data or {}, files)


# Described --------------------------------------------------------------------------------

def test_the_options_are_checked_when_the_form_is_described():
    assert problems_of_fields(FIELDS) == []
    wrong = [
        FIELDS[0], FIELDS[2],
        {**FIELDS[3], "key": "a", "multiple": "yes", "max_files": 3},  # a most, and not several files
        {**FIELDS[4], "key": "b", "max_files": 3},  # a most, on a field of one file
        {**FIELDS[3], "key": "c", "max_files": 1},
        {**FIELDS[3], "key": "d", "max_files": 500},
        {**FIELDS[1], "key": "e", "matches_id": "other_day"},  # a date, not an ID number field
        {**FIELDS[1], "key": "f", "matches_id": "nobody"},
    ]
    assert [place for place, _message in problems_of_fields(wrong)] == [
        "fields[2].multiple", "fields[2].max_files", "fields[3].max_files", "fields[4].max_files",
        "fields[5].max_files", "fields[6].matches_id", "fields[7].matches_id"]
    with translation.override("zh-hans"):
        messages = dict(problems_of_fields([FIELDS[0], {**FIELDS[1], "matches_id": "other"}]))
    assert messages == {"fields[1].matches_id": "“other”不是本表单中的身份证号码字段。"}
    # The options belong to their own kind of field.
    assert problems_of_fields([{"key": "t", "type": "text", "label": "T", "matches_id": "id_number"}])
    assert problems_of_fields([{"key": "t", "type": "date", "label": "T", "multiple": True}])


# Several files -----------------------------------------------------------------------------

def test_several_files_are_taken_each_checked():
    form = _form(papers=[_pdf("会议纪要.pdf"), SimpleUploadedFile("照片.png", PNG_BYTES), _pdf("证明.pdf")])
    assert form.is_valid(), form.errors
    papers = form.cleaned_data["papers"]
    assert [p.name for p in papers] == ["会议纪要.pdf", "照片.png", "证明.pdf"]
    assert [p.checked_content_type for p in papers] == ["application/pdf", "image/png", "application/pdf"]
    none = _form()
    assert none.is_valid() and none.cleaned_data["papers"] == []  # none: an empty list


def test_too_many_too_big_or_wrong_files_are_refused_in_chinese_naming_each():
    with translation.override("zh-hans"):
        many = _form(papers=[_pdf(f"{n}.pdf") for n in range(4)])
        assert not many.is_valid()
        assert many.errors["papers"] == ["此处最多可上传3个文件，已选择4个。"]
        big = _form(papers=[_pdf("大.pdf", PDF_BYTES + b"0" * (1024 * 1024)), _pdf("小.pdf")])
        assert not big.is_valid() and big.errors["papers"] == ["“大.pdf”超过1 MB。"]
        wrong = _form(papers=[_pdf("假.pdf", b"MZ not a pdf"), SimpleUploadedFile("a.docx", b"PK\x03\x04")])
        assert not wrong.is_valid()
        # Every refused file is named, not only the first.
        assert wrong.errors["papers"] == ["“假.pdf”的扩展名为 PDF，但文件内容并非 PDF 格式。",
                                          "此处不接受“a.docx”这类文件。可接受：PDF, PNG。"]
    # Without `multiple`, one file as before.
    assert build_form_class(FIELDS)({}, {"photo": SimpleUploadedFile("p.png", PNG_BYTES)}).is_valid()


def test_a_required_field_of_several_files_needs_one_and_files_kept_count_toward_the_most():
    fields = [{**FIELDS[3], "required": True}]
    with translation.override("zh-hans"):
        empty = _form(fields=fields)
        assert not empty.is_valid() and empty.errors["papers"] == ["该字段是必填项。"]
    assert _form(fields=fields, papers=[_pdf()]).is_valid()
    # Two files kept from an earlier post of the form (held_files): one more fits, two do not.
    form = _form(fields=fields, papers=[_pdf(), _pdf("b.pdf")])
    form.fields["papers"].held = 2
    assert not form.is_valid()
    form = _form(fields=fields, papers=[_pdf()])
    form.fields["papers"].held = 2
    assert form.is_valid()


# A date of birth against the ID number ---------------------------------------------------------

def test_a_birth_date_must_be_the_one_the_id_number_holds():
    with translation.override("zh-hans"):
        wrong = _form({"id_number": ID_NUMBER, "born": "1985-03-02", "other_day": "1985-03-02"})
        assert not wrong.is_valid()
        assert wrong.errors == {"born": ["出生日期与身份证号码不一致：身份证号码中的出生日期为1985-03-01。"]}
    with translation.override("en"):
        assert _form({"id_number": ID_NUMBER, "born": "1985-03-02"}).errors["born"] == [
            "The date of birth does not match the resident ID number: the number gives 1985-03-01."]
    assert _form({"id_number": ID_NUMBER, "born": "1985-03-01"}).is_valid()
    # Either blank: nothing to compare (required says whether it may be).
    assert _form({"id_number": ID_NUMBER}).is_valid()
    assert _form({"born": "1985-03-02"}).is_valid()
    # A wrong ID number is said at the number only, not twice.
    typo = ID_NUMBER[:-1] + ("2" if ID_NUMBER[-1] == "1" else "1")
    assert set(_form({"id_number": typo, "born": "1985-03-02"}).errors) == {"id_number"}
    # A draft's form (every field optional) checks it too.
    draft = _form({"id_number": ID_NUMBER, "born": "1990-01-01"}, form_class=draft_form_class(FIELDS))
    assert not draft.is_valid() and set(draft.errors) == {"born"}


def test_a_birth_date_in_the_future_is_refused_before_it_is_compared():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with translation.override("zh-hans"):
        form = _form({"id_number": ID_NUMBER, "born": tomorrow.isoformat()})
        assert not form.is_valid() and form.errors["born"] == ["该日期不能晚于今天。"]
