import pytest
from django.core.management import CommandError, call_command

from guidance.importer import import_answers
from guidance.models import GuidanceAnswerPage
from tests.policypages.factories import make_policy

pytestmark = pytest.mark.django_db

HEADER = "question,answer,audience,short_answer,topics,also_asked,policy_refs\n"


def write(tmp_path, text, name="answers.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


@pytest.fixture
def policy_with_sections(tree):
    return make_policy(tree.policies, sections=6, slug="social-media", title="Social media")


def test_import_creates_publishes_and_links(tree, tmp_path, policy_with_sections, capsys):
    csv_text = HEADER + (
        '"Can I friend a parent?","No, not unless you declare another relationship.",staff,No,'
        "parents;friend requests,parent added me;facebook parent,social-media:5\n"
        '"Can I take photos at sports day?","Yes, of your own child only.",parents,,photos,,\n'
    )
    call_command("import_guidance", write(tmp_path, csv_text))
    staff_answer = GuidanceAnswerPage.objects.get(title="Can I friend a parent?")
    assert staff_answer.live and staff_answer.get_parent().pk == tree.staff_guidance.pk
    assert staff_answer.phrasings == ["parent added me", "facebook parent"]
    assert [s.number for s in staff_answer.policy_sections.all()] == ["5"]
    parent_answer = GuidanceAnswerPage.objects.get(title="Can I take photos at sports day?")
    assert parent_answer.get_parent().pk == tree.parents_guidance.pk
    assert parent_answer.short_answer == "Yes, of your own child only."
    assert "2 created, 0 updated, 0 rejected" in capsys.readouterr().out


def test_same_question_updates_instead_of_duplicating(tree, tmp_path, capsys):
    call_command("import_guidance", write(tmp_path, HEADER + '"Can I use my phone?","Only at break.",staff,,,,\n'))
    call_command(
        "import_guidance",
        write(tmp_path, HEADER + '"can I use my  phone?","Only at break, away from pupils.",staff,,,,\n'),
    )
    answers = GuidanceAnswerPage.objects.all()
    assert answers.count() == 1
    assert "away from pupils" in answers.get().answer
    assert "0 created, 1 updated" in capsys.readouterr().out


def test_a_bad_row_stops_the_whole_file_and_says_why(tree, tmp_path, capsys):
    csv_text = HEADER + (
        '"Good question?","Good answer.",staff,,,,\n'
        '"","No question.",staff,,,,\n'
        '"Who?","Someone.",teachers,,,,\n'
        '"Where?","Here.",staff,,,,nonsense\n'
        '"Good question?","Again.",staff,,,,\n'
    )
    with pytest.raises(CommandError, match="4 row\\(s\\) rejected, so nothing was imported"):
        call_command("import_guidance", write(tmp_path, csv_text))
    out = capsys.readouterr().out
    assert "Rejected row 3 (no question): the question is empty" in out
    assert "audience 'teachers' must be staff, parents or everyone" in out
    assert "policy reference 'nonsense' should look like social-media:5" in out
    assert "the same question is on row 2" in out
    assert not GuidanceAnswerPage.objects.exists()


def test_skip_invalid_imports_the_good_rows(tree, tmp_path, capsys):
    csv_text = HEADER + '"Good question?","Good answer.",staff,,,,\n"Bad","",staff,,,,\n'
    call_command("import_guidance", write(tmp_path, csv_text), "--skip-invalid")
    assert list(GuidanceAnswerPage.objects.values_list("title", flat=True)) == ["Good question?"]
    assert "1 created, 0 updated, 1 rejected" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "The file is empty"),
        ("name,email\nx,y\n", "missing columns: question, answer, audience"),
        (HEADER, "has a header but no answers"),
    ],
)
def test_unusable_files(tree, tmp_path, content, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_guidance", write(tmp_path, content))
    assert not GuidanceAnswerPage.objects.exists()


def test_not_utf8(tree, tmp_path):
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_guidance", write(tmp_path, HEADER + '"Café?","Oui.",staff,,,,\n', encoding="utf-16"))


def test_unknown_policy_reference(tree, tmp_path, policy_with_sections, capsys):
    with pytest.raises(CommandError):
        call_command("import_guidance", write(tmp_path, HEADER + '"Q?","A.",staff,,,,social-media:99;uniform:1\n'))
    out = capsys.readouterr().out
    assert (
        "no section 99 in a policy called 'social-media'" in out and "no section 1 in a policy called 'uniform'" in out
    )


def test_answer_text_is_escaped(tree, tmp_path):
    call_command("import_guidance", write(tmp_path, HEADER + '"Q?","<script>alert(1)</script> Fine.",staff,,,,\n'))
    assert GuidanceAnswerPage.objects.get().answer == "<p>&lt;script&gt;alert(1)&lt;/script&gt; Fine.</p>"


def test_keep_existing_adds_new_answers_and_leaves_edited_ones_alone(tree):
    first = HEADER + '"Can I use my phone?","Only at break.",staff,,,,\n'
    import_answers(first.encode(), staff_index=tree.staff_guidance, public_index=tree.parents_guidance)
    edited = GuidanceAnswerPage.objects.get()
    edited.answer = "<p>HR's own wording.</p>"
    edited.save_revision().publish()
    revisions = edited.revisions.count()

    again = first + '"Can I wear a smartwatch?","Yes, on silent.",staff,,,,\n'
    report = import_answers(
        again.encode(), staff_index=tree.staff_guidance, public_index=tree.parents_guidance, keep_existing=True
    )
    assert report.created == ["Can I wear a smartwatch?"] and report.kept == ["Can I use my phone?"]
    edited.refresh_from_db()
    assert edited.answer == "<p>HR's own wording.</p>" and edited.revisions.count() == revisions


def test_a_long_question_gets_a_clean_address(tree):
    question = "A parent messaged me on my personal account about their child. What do I do?"
    import_answers(
        (HEADER + f'"{question}","Reply through school.",staff,,,,\n').encode(),
        staff_index=tree.staff_guidance,
        public_index=tree.parents_guidance,
    )
    slug = GuidanceAnswerPage.objects.get().slug
    assert len(slug) <= 70 and not slug.endswith("-")


def test_a_nul_byte_in_a_cell_is_dropped_not_a_server_error(tree):
    """Issue 41, finding 11: a NUL byte in an answers CSV was a 500 on PostgreSQL (it cannot store one)."""
    staff, public = tree.staff_guidance, tree.parents_guidance
    raw = (HEADER + "Can I bring my\x00 dog to school?,No.\x00,staff,No,,,\n").encode()
    report = import_answers(raw, staff_index=staff, public_index=public)
    assert report.applied and not report.rejected
    answer = GuidanceAnswerPage.objects.get(title__startswith="Can I bring my")
    assert "\x00" not in answer.title and "\x00" not in answer.answer


def test_a_file_saved_as_unicode_text_gets_a_plain_message(tree):
    from guidance.importer import GuidanceImportError

    raw = (HEADER + "Can I bring my dog?,No.,staff,No,,,\n").encode("utf-16-le")  # no byte-order mark
    with pytest.raises(GuidanceImportError, match="CSV UTF-8"):
        import_answers(raw, staff_index=tree.staff_guidance, public_index=tree.parents_guidance)


def test_the_admin_import_screen_takes_a_nul_byte_without_an_error(client, tree, hr_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(hr_user)
    upload = SimpleUploadedFile(
        "answers.csv", (HEADER + "Where is the\x00 staff room?,Upstairs.,staff,Upstairs,,,\n").encode()
    )
    response = client.post("/admin/guidance/import/", {"spreadsheet": upload})
    assert response.status_code == 200
    response = client.post("/admin/guidance/import/", {"step": "confirm"})
    assert response.status_code == 200
    assert GuidanceAnswerPage.objects.filter(title="Where is the staff room?").exists()
