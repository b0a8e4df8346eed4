"""Markdown that would keep a worker busy or crash it is refused quickly (finding 2).

Before the bounds, `"[" * 12000` took 30 s to render, 50,000 brackets minutes, and a list
nested 300 deep raised RecursionError (a 500).
"""

import re
import time

import pytest
from django.urls import reverse

from tests.netwerk.factories import PersoonFactory
from tests.themas.factories import ThemaFactory
from themas import rendering
from themas.forms import UpdateForm
from themas.markdown_html import markdown_to_safe_html
from themas.models import Update
from themas.rendering import MAX_LENGTH, MarkdownRefused, check_markdown, render_markdown


def nested_list(depth: int) -> str:
    # Indented with tabs, so 300 levels fit in the 50,000 characters.
    return "\n".join("\t" * level + "- punt" for level in range(depth))


PATHOLOGICAL = {
    "brackets-12000": "[" * 12000,
    "brackets-50000": "[" * 50000,
    "link-openers": "[](" * 12000,
    "nested-list-300": nested_list(300),
    "nested-quotes-300": "\n".join(">" * level + " citaat" for level in range(1, 301)),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_is_refused_at_once_with_a_reason(text):
    started = time.perf_counter()
    with pytest.raises(MarkdownRefused) as refused:
        render_markdown(text)

    assert time.perf_counter() - started < 1
    assert str(refused.value)


def test_the_messages_say_what_to_change():
    with pytest.raises(MarkdownRefused, match="vierkante haken"):
        check_markdown("[" * 12000)
    with pytest.raises(MarkdownRefused, match="te diep in elkaar"):
        check_markdown(nested_list(300))
    with pytest.raises(MarkdownRefused, match="te lang"):
        check_markdown("a" * (MAX_LENGTH + 1))


def test_ordinary_text_of_the_maximum_length_renders_like_in_process():
    paragraph = "Een **goed** gesprek over [de wijk](https://example.org/wijk) en zo.\n\n"
    text = (paragraph * (MAX_LENGTH // len(paragraph) + 1))[:MAX_LENGTH]

    assert render_markdown(text) == markdown_to_safe_html(text)


def test_some_nesting_and_links_are_fine():
    text = nested_list(rendering.MAX_NESTING) + "\n\n" + "[a](https://example.org) " * 300

    assert "<li>" in render_markdown(text)


def test_the_time_limit_stops_slow_input_the_checks_let_through(monkeypatch):
    # Link openers are quadratic in Python-Markdown (20 s in process with Markdown 3.11.4,
    # 30 s before); with the bracket check off, only the time limit stands in the way.
    monkeypatch.setattr(rendering, "check_markdown", lambda text: None)
    monkeypatch.setattr(rendering, "RENDER_TIMEOUT_SECONDS", 1)

    started = time.perf_counter()
    with pytest.raises(MarkdownRefused, match="te ingewikkeld"):
        render_markdown("[](" * 12000)

    assert time.perf_counter() - started < 3


def test_a_crash_of_the_renderer_is_a_refusal_not_a_500(monkeypatch):
    # A child that dies (here: one that cannot even start its module) exits non-zero.
    monkeypatch.setattr(rendering, "_CHILD_MODULE", "themas.no_such_renderer")

    with pytest.raises(MarkdownRefused, match="te ingewikkeld"):
        render_markdown("Gewone tekst.")


def test_the_form_limits_the_body_to_50000_characters():
    form = UpdateForm(
        data={
            "titel": "Titel",
            "samenvatting": "Kort.",
            "tekst": "a" * (MAX_LENGTH + 1),
            "actie": "concept",
        }
    )

    assert not form.is_valid()
    assert list(form.errors) == ["tekst"]


@pytest.mark.django_db
@pytest.mark.parametrize("actie", ["voorbeeld", "concept", "publiceren"])
@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_the_update_form_shows_a_field_error_and_saves_nothing(client, actie, text):
    thematrekker = PersoonFactory()
    thema = ThemaFactory(thematrekkers=[thematrekker])
    client.force_login(thematrekker)

    started = time.perf_counter()
    response = client.post(
        reverse("themas:update-nieuw", args=["thema", thema.slug]),
        {"titel": "Titel", "samenvatting": "Kort.", "tekst": text, "actie": actie},
    )

    assert time.perf_counter() - started < 2
    assert response.status_code == 400
    assert 'id="id_tekst_error"' in response.text
    assert re.search(r"<textarea[^>]*aria-describedby=\"[^\"]*id_tekst_error", response.text)
    assert not Update.objects.exists()


@pytest.mark.django_db
def test_a_refusal_by_the_time_limit_is_shown_on_the_text_field(client, monkeypatch):
    # Less time than starting the child takes: every text runs out of it.
    monkeypatch.setattr(rendering, "RENDER_TIMEOUT_SECONDS", 0.001)
    thematrekker = PersoonFactory()
    thema = ThemaFactory(thematrekkers=[thematrekker])
    client.force_login(thematrekker)

    response = client.post(
        reverse("themas:update-nieuw", args=["thema", thema.slug]),
        {
            "titel": "Titel",
            "samenvatting": "Kort.",
            "tekst": "Een gewone tekst.",
            "actie": "concept",
        },
    )

    assert response.status_code == 400
    assert "te ingewikkeld" in response.context["form"].errors["tekst"][0]
    assert not Update.objects.exists()
