"""Bylines printed in the page: author/byline elements (with their co-author siblings), a
printed label ("Autor:", "By") with the names after it, a credit line of a Chinese,
Japanese or Korean paper ("责编：X", "X 기자"), links to author pages, a dated line beside
the headline ("3 May 2024 | Jo Ek"), a forum's thread starter, the post author's comment,
and trafilatura's broader author selectors. Each finder returns the names it found
(cleaned, at most four) or an empty tuple; :func:`printed_organisation` gives the newsroom
or site a byline credits when it names no person.
"""

from __future__ import annotations

import re
from copy import deepcopy
from functools import cache

from lxml.html import HtmlElement

from scraper.extraction.authors import (
    BYLINE_LABEL,
    BYLINE_LEAD_IN,
    CJK,
    CJK_LABEL,
    clean_authors,
    is_newsroom,
    names_alone,
    names_in_line,
    split_names,
    without_other_credits,
)
from scraper.extraction.dates import first_shown_date
from scraper.extraction.page import NOT_TEXT, Page
from scraper.extraction.phrases import (
    ARTICLES,
    AUTHOR_PATHS,
    CREDIT_PREFIXES,
    NAME_PARTICLES,
    NOT_BYLINE_OPENINGS,
    TAG_PATHS,
)
from scraper.extraction.text import ascii_key, fold, squash


def _byline_candidates(tree: HtmlElement, limit: int = 40) -> list[HtmlElement]:
    """The first ``limit`` elements marked as a byline: ``rel=author``, ``<byline>``, a class
    holding "author", "byline", "Byline", "autor" or "writer", an id holding "author"."""
    found: list[HtmlElement] = []
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        cls = element.get("class")
        if (
            tag == "byline"
            or element.get("rel") == "author"
            or (
                cls is not None
                and (
                    "author" in cls
                    or "byline" in cls
                    or "Byline" in cls
                    or "autor" in cls
                    or "writer" in cls
                )
            )
            or "author" in (element.get("id") or "")
        ):
            found.append(element)
            if len(found) >= limit:
                break
    return found


#: Interface controls: their text is a command ("Follow", "Cancel"), never a byline,
#: whatever their class says ("followAuthorBtn").
CONTROLS = frozenset({"button", "input", "select", "option", "label", "textarea", "form"})
#: Elements that are no byline, whatever their class: page structure, media, controls.
_NOT_BYLINE_TAGS = CONTROLS | {
    "meta", "link", "script", "style", "body", "html", "img", "article", "section",
}  # fmt: skip

#: Bylines inside these containers belong to comments or other stories.
_NOT_BYLINE_AREA = re.compile(
    r"^(?:comment|respond|reply|discussion|disqus|related|recommend|teaser|most-?popular|"
    r"trending|newsletter|kommentar)",
    re.IGNORECASE,
)


def in_excluded_area(element: HtmlElement) -> bool:
    """Inside comments, teasers of other stories, a figure (whose "author" is the
    photographer), or an aside of the page (an aside inside the ``<article>`` is the
    article's own, its byline and date, unless what it holds is a story of its own);
    layout classes like "sidebar" are too often put on the content column itself to be
    a signal."""
    aside = story = False
    for ancestor in element.iterancestors():
        if ancestor.tag in ("body", "html"):
            break
        marker = f"{ancestor.get('class', '')} {ancestor.get('id', '')}".split()
        if any(_NOT_BYLINE_AREA.match(token) for token in marker) or ancestor.tag in (
            "nav",
            "figure",
            "figcaption",
        ):
            return True
        if ancestor.tag == "article":
            story = not aside  # a story of its own below any aside
            aside = False
        elif ancestor.tag == "aside":
            if story:
                return True  # a story inside an aside: a teaser of another one
            aside = True
        itemtype = ancestor.get("itemtype") or ""
        if "Comment" in itemtype:
            return True
    return aside


def _byline_texts(element: HtmlElement) -> list[str]:
    """The name-bearing texts of one byline element (its links or name parts, else itself),
    without the links to tag or topic pages that some bylines carry."""
    parts = element.xpath(
        './/*[@itemprop="name"] | .//a[@rel="author"] | .//*[contains(@class, "name")]'
    )
    texts = [fold(p.get("content") or p.text_content()) for p in parts]
    texts = [t for t in texts if t]
    # a name's parts marked apart ("firstname", "lastname") are in the whole name too
    texts = [t for t in texts if not any(t != o and f" {t} " in f" {o} " for o in texts)]
    if not texts:
        links = [a for a in element.iter("a") if not is_tag_link(a)]
        texts = [t for t in (fold(a.text_content()) for a in links) if t]
    if not texts:
        lines = [_after_by(line) for line in _lines(_without_tag_links(element))]
        # the first line that names someone: later ones hold the date, the paper, the editor
        texts = next(([t] for t in lines if clean_authors([t])), lines[:1])
    return texts


def _lines(element: HtmlElement) -> list[str]:
    """The element's text, cut at its ``<br>`` line breaks (which text_content() drops,
    gluing "Jo Ek" to "Monday, May 3" on the next line), each line folded."""
    lines: list[str] = []
    current: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.tag == "br":
            lines.append(fold(" ".join(current)))
            current.clear()
        elif isinstance(node.tag, str) and node.text:
            current.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                current.append(child.tail)

    walk(element)
    lines.append(fold(" ".join(current)))
    return [line for line in lines if line]


#: Class endings of text for screen readers only ("u-visually-hidden", "sr-only"): a label
#: the eye never sees ("Autor", the brand's name beside a byline), not the writer's name.
_SCREEN_READER_CLASSES = ("visually-hidden", "sr-only", "screen-reader-text")


def screen_reader_only(element: HtmlElement) -> bool:
    """Whether the element's text is for screen readers only (see above)."""
    cls = element.get("class")
    return cls is not None and any(t.endswith(_SCREEN_READER_CLASSES) for t in cls.split())


def _without_tag_links(element: HtmlElement) -> HtmlElement:
    """The element, or a copy of it without its links to tag or topic pages and its
    interface controls (a "Follow" button beside the name)."""

    def noise(e: HtmlElement) -> bool:
        return e.tag in CONTROLS or (e.tag == "a" and is_tag_link(e)) or screen_reader_only(e)

    if not any(noise(e) for e in element.iterdescendants()):
        return element
    bare = deepcopy(element)
    for child in [e for e in bare.iterdescendants() if noise(e)]:
        child.drop_tree()
    return bare


_TAG_HREF = re.compile(r"/(?:" + "|".join(TAG_PATHS) + r")/[^/?#]+/?(?:[?#]|$)", re.IGNORECASE)


def is_tag_link(link: HtmlElement) -> bool:
    """A link to a tag, topic or category page (``rel=tag``, ``/tag/solar/``)."""
    rel = (link.get("rel") or "").lower().split()
    return "tag" in rel or "category" in rel or bool(_TAG_HREF.search(link.get("href") or ""))


_BY_WORD = re.compile(r"\s(?:by|von|par|por)\s+", re.IGNORECASE)


def _after_by(text: str) -> str:
    """The words after the last "by"/"von" of a byline text ("Posted on May 3 by Jo Ek"),
    credits of other work than the writing left out ("Edited by Al Bo")."""
    parts = _BY_WORD.split(without_other_credits(text))
    return parts[-1] if len(parts) > 1 else parts[0]


def _element_names(element: HtmlElement, not_names: list[str]) -> tuple[str, ...]:
    """The names one byline element holds, or none when it is no byline here."""
    if element.tag in _NOT_BYLINE_TAGS or screen_reader_only(element):
        return ()
    marker = f"{element.get('class', '')} {element.get('id', '')}".split()
    if len(element.text_content()) > 200 or any(_NOT_BYLINE_AREA.match(t) for t in marker):
        return ()
    if in_excluded_area(element) or _CREDIT_LINE.match(fold(element.text_content())):
        return ()
    names = clean_authors(_byline_texts(element), not_names)
    return () if is_tag_list(names) else names


def byline_elements(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """The first author/byline element (by class, id or ``rel=author``) outside comments
    and teasers that holds a name, with the names of its like siblings (one byline
    element per co-author: same tag, same class, same parent)."""
    candidates = _byline_candidates(page.tree)
    for index, element in enumerate(candidates):
        names = _element_names(element, not_names)
        if not names:
            continue
        parent, tag, cls = element.getparent(), element.tag, element.get("class")
        for other in candidates[index + 1 :]:
            if other.getparent() is parent and other.tag == tag and other.get("class") == cls:
                names = (*names, *(n for n in _element_names(other, not_names) if n not in names))
        return names[:4]
    return ()


def printed_organisation(page: Page, sites: list[str]) -> str | None:
    """The newsroom or the site a printed byline element credits ("von Redaktion",
    "By Harbour Times Staff", "By harbourtimes.example"): the organisation credited when
    no person is named anywhere."""
    site_keys = {squash(s) for s in sites}
    for element in _byline_candidates(page.tree, limit=10):
        if element.tag in _NOT_BYLINE_TAGS or in_excluded_area(element):
            continue
        text = fold(_without_tag_links(element).text_content())
        if not text or len(text) > 80 or _CREDIT_LINE.match(text):
            continue
        for part in split_names(text):
            if is_newsroom(part) or squash(part) in site_keys:
                return part
    return None


#: A photo or image credit ("Bild: Agentur/Jo Ek", "Photo: Jo Ek"): not a byline.
_CREDIT_LINE = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in CREDIT_PREFIXES) + r")\s*:", re.IGNORECASE
)


def is_tag_list(names: tuple[str, ...]) -> bool:
    """Three or more one-word "names": topics or tags, not the people who wrote a story."""
    return len(names) >= 3 and all(" " not in n for n in names)


#: Elements that end a line of text.
_LINE_BREAKS = frozenset(
    {
        "br", "hr", "p", "div", "li", "ul", "ol", "dl", "dd", "dt", "td", "th", "tr", "table",
        "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "aside",
        "nav", "main", "figure", "figcaption", "blockquote", "address", "form", "pre",
    }
)  # fmt: skip
#: A text opening like a byline that is none ("Por favor, ...", "By clicking ...").
_NOT_BYLINE_OPENING = re.compile(
    r"^\s*(?:" + "|".join(re.escape(p) for p in NOT_BYLINE_OPENINGS) + r")\b", re.IGNORECASE
)
#: A byline label in these is a title, a menu entry or a control, not a byline.
_NOT_LABEL_OWNERS = frozenset({"h1", "h2", "h3", "title", "option", "button", "textarea"})


def _one_line(text: str | None) -> str:
    """A text node's text with its line breaks as spaces: in HTML a newline in the source
    is white space; only elements end a line."""
    return (text or "").replace("\n", " ").replace("\r", " ")


def _lines_at(block: HtmlElement, target: HtmlElement, tail: bool) -> tuple[str, str] | None:
    """The text of ``block`` before and from one text node (``target``'s text, or its
    tail), with a newline wherever an element ends a line; None past 400 elements."""
    parts: list[str] = []
    split = -1
    stack: list[tuple[HtmlElement, bool]] = [(block, False)]
    visited = 0
    while stack:
        element, closing = stack.pop()
        is_tag = isinstance(element.tag, str)
        if closing:
            if is_tag and element.tag in _LINE_BREAKS:
                parts.append("\n")
            elif is_tag and element is not block:
                # items of a meta line are set apart by style, not by text
                # ("<span>Jo Ek</span><span><time>May 3</time></span>" shows two items)
                parts.append(" ")
            if element is not block:
                if element is target and tail:
                    split = len(parts)
                parts.append(_one_line(element.tail))
            continue
        visited += 1
        if visited > 400:
            return None
        stack.append((element, True))
        if not is_tag or element.tag in NOT_TEXT:
            continue
        if element.tag in _LINE_BREAKS:
            parts.append("\n")
        if element is target and not tail:
            split = len(parts)
        parts.append(_one_line(element.text))
        stack.extend((child, False) for child in reversed(element))
        if split >= 0 and sum(len(p) for p in parts[split:]) > 300:
            break
    if split < 0:
        return None
    return "".join(parts[:split]), "".join(parts[split:])


def _continues_text(before: str) -> bool:
    """Whether a label follows text of its own line as part of it: any text but a
    separator or a control's symbol ("Print | Text size – +") before it ("Photos shared
    by", "“A Title” by", "(see chart) by")."""
    before = before.rstrip()
    return bool(before) and before[-1] not in _SEPARATORS


#: Line ends that separate what follows from what precedes ("Print | By Jo Ek").
_SEPARATORS = frozenset("|•·–—-+/:»>")


def _names_after_label(target: HtmlElement, tail: bool) -> list[str]:
    """Names printed after a byline label that opens a line: on its line, or when the
    label stands alone (a "By" in an element of its own), on the next line."""
    block = target.getparent() if tail else target
    for _ in range(4):
        while block is not None and block.tag not in _LINE_BREAKS and block.tag != "body":
            block = block.getparent()
        if block is None:
            return []
        found = _lines_at(block, target, tail)
        if found is None:
            return []
        before, after = found
        if _continues_text(before.rpartition("\n")[2]):
            return []  # the label is inside a sentence ("… Share Alike by Jo Ek")
        # the label's own text node opens ``after``: cut the label there, not in the joined
        # line ("<span>By</span><a>Jo Ek</a>" joins to "ByJo Ek")
        own = (target.tail if tail else target.text) or ""
        label = BYLINE_LABEL.match(own)
        after = after[label.end() :] if label else after
        first, *more = [" ".join(line.split()) for line in after.split("\n")]
        if first:
            return names_in_line(first)
        following = next((line for line in more if line), None)
        if following is not None:
            return names_in_line(following) if len(following) <= 80 else []
        if block.tag == "body":
            return []
        block = block.getparent()
    return []


def label_bylines(page: Page, not_names: list[str], limit: int = 6000) -> tuple[str, ...]:
    """The first printed byline label of the page ("Autor: Jo Ek", "Von <a>Jo Ek</a> und
    <a>Al Bo</a>", "<span>By</span><a>Jo Ek</a>") with the names after it, outside
    comments and teasers."""
    body = page.tree.find(".//body")
    root = body if body is not None else page.tree
    tried = 0
    for count, element in enumerate(root.iter()):
        if count > limit or tried > 40:
            break
        for tail in (False, True):
            if tail:
                text, owner = element.tail, element.getparent()
            else:
                text = element.text if isinstance(element.tag, str) else None
                owner = element
            # the label pattern opens with \s*: matched on the stripped text, it cannot
            # backtrack through an indentation (same result, many times faster)
            if not text or len(text) > 200 or not BYLINE_LABEL.match(text.lstrip()):
                continue
            if _NOT_BYLINE_OPENING.match(text):
                continue
            if owner is None or owner.tag in _NOT_LABEL_OWNERS or owner.tag in NOT_TEXT:
                continue
            if any(a.tag in ("form", "label") for a in owner.iterancestors()):
                continue  # a search form's "by member" field
            tried += 1
            names = clean_authors(_names_after_label(element, tail), not_names)
            if names and not in_excluded_area(owner):
                return names[:4]
    return ()


_AUTHOR_HREF = re.compile(
    r"/(?:" + "|".join(AUTHOR_PATHS) + r")/(?P<slug>[^/?#]+)/?(?:[?#]|$)", re.IGNORECASE
)


def author_links(page: Page, not_names: list[str], limit: int = 3000) -> tuple[str, ...]:
    """Names linking to their author page (``/author/jo-ek/``) whose address spells them:
    the first such link outside comments and teasers, with co-authors linked beside it."""
    body = page.tree.find(".//body")
    root = body if body is not None else page.tree
    found: list[str] = []
    parent: HtmlElement | None = None
    for count, link in enumerate(root.iter("a")):
        if count > limit:
            break
        match = _AUTHOR_HREF.search(link.get("href") or "")
        if match is None:
            continue
        text = fold(link.text_content())
        slug = ascii_key(match["slug"])
        words = [ascii_key(w) for w in text.split()]
        if not 0 < len(words) <= 4 or not all(w and w in slug for w in words):
            continue
        if parent is not None and link.getparent() is not parent:
            continue
        if in_excluded_area(link):
            continue
        names = clean_authors([text], not_names)
        if names:
            found.extend(names)
            parent = link.getparent()
    return tuple(dict.fromkeys(found))[:4]


def forum_starter(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """A forum thread's first post names its writer in ``data-author``."""
    for element in page.tree.xpath("//article[@data-author] | //div[@data-author]")[:1]:
        names = clean_authors([element.get("data-author") or ""], not_names)
        if names:
            return names[:1]
    return ()


def post_author_comment(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """The name on a comment the CMS marks as written by the post's author (``bypostauthor``)."""
    for comment in page.tree.xpath(
        '//*[contains(concat(" ", normalize-space(@class), " "), " bypostauthor ")]'
    )[:3]:
        for element in comment.xpath('.//*[contains(@class, "fn")] | .//cite')[:1]:
            names = clean_authors([fold(element.text_content())], not_names)
            if names:
                return names[:1]
        # WordPress names the commenter's account in a class: "comment-author-<nicename>"
        nicename = next(
            (
                token[len("comment-author-") :]
                for token in comment.get("class", "").split()
                if token.startswith("comment-author-")
            ),
            None,
        )
        if nicename:
            key = ascii_key(nicename)
            for element in comment.xpath('.//*[contains(@class, "author")] | .//a')[:20]:
                text = fold(element.text_content())
                if key and ascii_key(text) == key:
                    names = clean_authors([text], not_names)
                    if names:
                        return names[:1]
    return ()


_BY_LEAD = (
    BYLINE_LEAD_IN
    + r"(?:by|von|par|por|di|door|text|texte|autor(?:in)?|written by|posted by|geschrieben von)"
)
#: An element's own text that opens like a byline ("Von ", "Blog Beitrag von").
_BY_TEXT_START = re.compile(_BY_LEAD + r"\s*:?(?:\s|$)", re.IGNORECASE)
_BY_TEXT = re.compile(
    _BY_LEAD + r"\s*:?\s+"
    r"(?P<name>[^\W\d_][\w'’.\-]*(?:\s+[^\W\d_][\w'’.\-]*){0,3})\s*(?:$|[,|•·\-–—(]|\d)",
    re.IGNORECASE,
)


@cache
def _author_patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(p)
        for p in (
            "author-?name|AuthorName|authorName",
            "author|zuozhe|bianji|xiaobian",
            "author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name",
            "[Aa]uthor",
            "[Aa]uthor|screenname|writer|[Bb]yline",
        )
    )


_AUTHOR_TAGS_1 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_AUTHOR_TAGS_2 = frozenset({"a", "div", "h3", "h4", "p", "span"})


def trafilatura_author_elements(tree: HtmlElement, limit: int = 20) -> list[list[HtmlElement]]:
    """What each of trafilatura's ``AUTHOR_XPATHS`` selects (its first ``limit``), in one
    walk of the tree: those XPaths call a Python regex per element through EXSLT.
    (A test compares the two on every clause.)"""
    name_class, author_id, author_class, any_id, any_class = _author_patterns()
    found: list[list[HtmlElement]] = [[], [], []]
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        get = element.get
        cls = get("class")
        ident = get("id")
        itemprop = get("itemprop")
        if len(found[0]) < limit and (
            tag == "author"
            or (
                tag in _AUTHOR_TAGS_1
                and (
                    get("rel") == "author"
                    or ident == "author"
                    or cls == "author"
                    or itemprop == "author name"
                    or get("data-testid") in ("AuthorCard", "AuthorURL")
                    or (cls is not None and name_class.search(cls) is not None)
                    or any(c.text_content() == "me" for c in element.iterchildren("rel"))
                )
            )
        ):
            found[0].append(element)
        if (
            len(found[1]) < limit
            and tag in _AUTHOR_TAGS_2
            and (
                cls in ("byline", "username", "byl", "BBL")
                or (itemprop is not None and "author" in itemprop)
                or (ident is not None and author_id.search(ident) is not None)
                or (cls is not None and author_class.search(cls) is not None)
            )
        ):
            found[1].append(element)
        if len(found[2]) < limit and (
            "Byline" in (get("data-component") or "")
            or (itemprop is not None and "author" in itemprop)
            or (ident is not None and any_id.search(ident) is not None)
            or (cls is not None and any_class.search(cls) is not None)
        ):
            found[2].append(element)
    return found


def generic_byline(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """trafilatura's broader author selectors, then a "By Name" line near the headline."""
    for selected in trafilatura_author_elements(page.tree):
        for element in selected:
            if element.tag in ("time", "figure", "meta", "script", "style") or (
                element.tag in CONTROLS
            ):
                continue
            text = fold(" ".join(_without_tag_links(element).itertext()))
            if not 2 < len(text) < 120 or in_excluded_area(element) or _CREDIT_LINE.match(text):
                continue
            names = clean_authors([text], not_names)
            if names and not is_tag_list(names):
                return names[:4]
    h1 = next(iter(page.tree.iter("h1")), None)
    scope = h1.getparent() if h1 is not None and h1.getparent() is not None else page.tree
    scopes = [scope] if scope is page.tree else [scope, page.tree]
    for wide, scope in enumerate(scopes):
        for count, element in enumerate(
            scope.iter("p", "span", "div", "em", "strong", "small", "address")
        ):
            if count > 1500:
                break
            # page-wide, only elements whose own text opens like a byline (cheap to test)
            if wide and not _BY_TEXT_START.match((element.text or "").lstrip()):
                continue
            # its texts set apart: meta items are separated by style, not by text
            text = fold(" ".join(element.itertext()))
            if not text or len(text) > 100:
                continue
            match = _BY_TEXT.match(text)
            if match and not _NOT_BYLINE_OPENING.match(text) and not in_excluded_area(element):
                # the name ends where a date begins ("By Jo Ek May 3, 2024")
                name = match["name"]
                printed = names_in_line(text[match.start("name") :])
                if printed and name.startswith(printed[0]) and name != printed[0]:
                    name = printed[0]
                names = clean_authors([name], not_names)
                if names:
                    return names
    return ()


#: A credit line in a Chinese, Japanese or Korean paper: a label and the names after it,
#: perhaps in brackets ("（责编：X、Y）", "记者 X"), or Korean names with their job title
#: after them ("X 기자", "X·Y 기자 x@example.kr").
_CJK_OPEN = re.compile(r"^[（(【\[〔]?\s*")
_CJK_NAMES_END = re.compile(r"[）)】\]〕]")
_HANGUL_CREDIT = re.compile(
    r"^(?P<names>[가-힣]{2,4}(?:\s*[·ㆍ,、]\s*[가-힣]{2,4})*)\s*(?:기자|특파원)(?:\s+\S+@\S+)?$"
)
#: Longer than this, a text node is a sentence, not a credit line.
_MAX_CREDIT_LINE = 60


def _cjk_credit(text: str) -> list[str]:
    """The names of one CJK credit line, or none when ``text`` is not one."""
    text = " ".join(text.split())
    korean = _HANGUL_CREDIT.match(text)
    if korean:
        return re.split(r"\s*[·ㆍ,、]\s*", korean["names"])
    rest = _CJK_OPEN.sub("", text, count=1)
    label = CJK_LABEL.match(rest)
    if label is None:
        return []
    names = _CJK_NAMES_END.split(rest[label.end() :], maxsplit=1)[0]
    return [n for n in re.split(r"\s*[、，,；;／/]\s*|\s{2,}", names) if n]


def cjk_credit_lines(page: Page, not_names: list[str], limit: int = 6000) -> tuple[str, ...]:
    """The first credit line of a Chinese, Japanese or Korean page ("（责编：X、Y）",
    "记者 X", "X 기자"): a short text of its own, outside comments, teasers and figures
    (photo credits). Pages whose ``<title>`` has no CJK letter are not looked at."""
    if not CJK.search(page.tree.findtext(".//title") or ""):
        return ()
    body = page.tree.find(".//body")
    root = body if body is not None else page.tree
    for count, element in enumerate(root.iter()):
        if count > limit:
            break
        if not isinstance(element.tag, str) or element.tag in NOT_TEXT:
            continue
        for text in (element.text, element.tail):
            if not text or len(text) > _MAX_CREDIT_LINE or not CJK.search(text[:6]):
                continue
            names = clean_authors(_cjk_credit(text), not_names)
            if names and not in_excluded_area(element):
                return names[:4]
    return ()


#: Separators of the parts of a meta line ("04.02.2022 | 13:10 Uhr | Jo Ek").
_META_LINE_SPLIT = re.compile(r"\s+[|•·]\s+")


def dated_meta_line(page: Page, not_names: list[str]) -> tuple[str, ...]:
    """The one name in a short line beside the headline that sets the date and the writer
    apart ("04.02.2022 | 13:10 Uhr | Jo Ek"): a byline without a label. Only a name of two
    words or more, and only beside a date: a line of section names is no byline."""
    h1 = next(iter(page.tree.iter("h1")), None)
    parent = h1.getparent() if h1 is not None else None
    if parent is None or in_excluded_area(parent):
        return ()
    for element in parent:
        if element is h1 or not isinstance(element.tag, str) or element.tag in NOT_TEXT:
            continue
        text = fold(element.text_content())
        if not text or len(text) > 100:
            continue
        parts = _META_LINE_SPLIT.split(text)
        dated = [first_shown_date(p) is not None for p in parts]
        if len(parts) < 2 or not any(dated):
            continue
        rest = [p for p, d in zip(parts, dated, strict=True) if not d]
        names = [n for n in clean_authors(rest, not_names) if " " in n]
        if len(names) == 1:
            return (names[0],)
    return ()


#: A credit paragraph is among the first paragraphs of the text and a paragraph of the
#: story (this long at least) follows it.
_LEAD_CREDIT_PARAGRAPHS = 4
_STORY_PARAGRAPH = 80


def bold_credit_paragraph(page: Page, not_names: list[str], limit: int = 400) -> tuple[str, ...]:
    """Names set in bold as a paragraph of their own at the top of the text, the story
    right after them ("<p><strong>Jo Ek/Al Bo</strong></p><p>The story…</p>"): where the
    site's own account is the post's author, the writer is typed into the text. Names
    only (a label, a date or a sentence in the bold is something else), two words each."""
    for count, paragraph in enumerate(page.tree.iter("p")):
        if count > limit:
            break
        bold = [c for c in paragraph if isinstance(c.tag, str)]
        if len(bold) != 1 or bold[0].tag not in ("strong", "b"):
            continue
        if (paragraph.text or "").strip() or (bold[0].tail or "").strip():
            continue
        text = fold(bold[0].text_content())
        following = paragraph.getnext()
        if (
            not text
            or len(text) > 80
            or following is None
            or following.tag != "p"
            or len(following.text_content()) < _STORY_PARAGRAPH
        ):
            continue
        before = [
            s for s in paragraph.itersiblings("p", preceding=True) if s.text_content().strip()
        ]
        if len(before) >= _LEAD_CREDIT_PARAGRAPHS or in_excluded_area(paragraph):
            continue
        if any(w.lower() in ARTICLES - NAME_PARTICLES for w in text.split()):
            continue  # a title ("I. The Harbour"), not a name
        names = [n for n in names_alone(text) if " " in n]
        found = clean_authors(names, not_names)
        if found and len(found) == len(names):
            return found[:4]
    return ()
