"""Using the portal with the keyboard alone, for the browser tests: Tab and Shift+Tab to move,
Enter and Space to activate, typing into the focused field. No mouse, nothing clicked or
filled in directly: what these helpers reach, a keyboard user reaches.

Every stop on the way must show that it has the focus (an outline or a box-shadow), so a
control without a focus style fails the test that passes it, not only the one aiming at it.
"""

from playwright.sync_api import Page, expect

MAX_TABS = 60

# The roles a keyboard user can land on; an accessible name is looked for among these.
ROLES = (
    "link",
    "button",
    "textbox",
    "searchbox",
    "checkbox",
    "radio",
    "combobox",
    "spinbutton",
)

_MARK = "data-keyboard-target"

_FOCUS = """
(mark) => {
  const element = document.activeElement;
  if (!element || element === document.body) return {onTarget: false, visible: true, what: "body"};
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow !== "none";
  let what = element.tagName.toLowerCase();
  if (element.id) what += "#" + element.id;
  const text = (element.getAttribute("aria-label") || element.textContent || element.value || "")
    .trim().replace(/\\s+/g, " ").slice(0, 60);
  if (text) what += ` "${text}"`;
  return {onTarget: element.hasAttribute(mark), visible: outline || shadow, what};
}
"""


def _target(page: Page, name: str, role: str | None, exact: bool):
    if role == "label":  # a field without a role of its own, such as a password field
        return page.get_by_label(name, exact=exact)
    roles = (role,) if role else ROLES
    locator = page.get_by_role(roles[0], name=name, exact=exact)
    for other in roles[1:]:
        locator = locator.or_(page.get_by_role(other, name=name, exact=exact))
    return locator


def focused(page: Page) -> dict:
    """What has the focus: {"what": a description, "visible": whether it shows it}."""
    return page.evaluate(_FOCUS, _MARK)


def assert_focus_visible(page: Page) -> None:
    state = focused(page)
    assert state["visible"], f"{page.url}: {state['what']} has the focus but does not show it"


def tab_to(
    page: Page,
    name: str,
    *,
    role: str | None = None,
    exact: bool = False,
    backwards: bool = False,
    maximum: int = MAX_TABS,
) -> None:
    """Press Tab (Shift+Tab with `backwards`) until the element with this accessible name has
    the focus; fail after `maximum` presses, naming the stops on the way."""
    target = _target(page, name, role, exact)
    count = target.count()
    assert count, f"{page.url}: nothing named {name!r} to tab to"
    target.evaluate_all(f"(elements) => elements.forEach((e) => e.setAttribute('{_MARK}', ''))")
    stops = []
    try:
        for _ in range(maximum):
            page.keyboard.press("Shift+Tab" if backwards else "Tab")
            state = focused(page)
            stops.append(state["what"])
            assert state["visible"], (
                f"{page.url}: {state['what']} has the focus but does not show it"
            )
            if state["onTarget"]:
                return
        raise AssertionError(
            f"{page.url}: {name!r} not reached in {maximum} presses of "
            f"{'Shift+Tab' if backwards else 'Tab'}; the stops were:\n    " + "\n    ".join(stops)
        )
    finally:
        target.evaluate_all(f"(elements) => elements.forEach((e) => e.removeAttribute('{_MARK}'))")


def type_text(page: Page, text: str) -> None:
    """Type into the focused field, replacing what it held."""
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def fill_in(page: Page, label: str, text: str, **kwargs) -> None:
    tab_to(page, label, **kwargs)
    type_text(page, text)


def activate(page: Page, key: str = "Enter") -> None:
    """Press Enter (or Space) on the focused control and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def press_on(page: Page, name: str, key: str = "Enter", **kwargs) -> None:
    """Tab to a link or button and activate it with the keyboard."""
    tab_to(page, name, **kwargs)
    activate(page, key)


def skip_to_content(page: Page) -> None:
    """On a page just loaded (without a #fragment): the first Tab reaches the skip link,
    which shows itself and moves the focus to <main>; the next Tab starts in the content."""
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Naar de inhoud").or_(
        page.get_by_role("link", name="Skip to content")
    )
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
