"""Hypothesis strategies for hostile input: URLs, feeds and sitemaps, HTML pages.

Shared by the bounded fuzz tests (tests/fuzz) and the longer run (bench/fuzz.py). Each
strategy mixes structured input (the shapes real servers send, with hostile parts
swapped in) with raw noise, so both the parser's happy path and its edges are reached.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

from hypothesis import strategies as st

# -- URLs ------------------------------------------------------------------------------

_HOSTILE_CHARS = "\x00\t\n\r %#?/\\@:[]<>\"'`{}|^~é\u200b\ufeff\U0001f600"
_hostile_text = st.text(alphabet=st.sampled_from(_HOSTILE_CHARS) | st.characters(), max_size=40)

schemes = st.sampled_from(["http", "https", "HTTP", "HtTpS", "ftp", "javascript", "", "http:"])
hosts = st.one_of(
    st.from_regex(r"[a-z0-9-]{1,20}(\.[a-z0-9-]{1,20}){0,3}\.?", fullmatch=True),
    st.ip_addresses(v=4).map(str),
    st.ip_addresses(v=6).map(lambda a: f"[{a}]"),
    st.ip_addresses(v=6).map(str),
    st.sampled_from(
        ["EXAMPLE.com", "xn--bcher-kva.example", "bücher.example", "a..b", "[::1", "%2e"]
    ),
    _hostile_text,
    st.text(min_size=200, max_size=300, alphabet="ab."),
)
ports = st.one_of(
    st.just(""),
    st.integers(min_value=-1, max_value=70_000).map(lambda p: f":{p}"),
    _hostile_text.map(lambda t: f":{t}"),
)
paths = st.lists(
    st.one_of(st.sampled_from([".", "..", "", "%2F", "%7e", "a b", "%zz"]), _hostile_text),
    max_size=6,
).map(lambda parts: "/" + "/".join(parts))
queries = st.lists(
    st.tuples(
        st.sampled_from(["utm_source", "fbclid", "id", "ref", "a", "", "%00", "Q"]) | _hostile_text,
        _hostile_text,
    ),
    max_size=5,
).map(lambda pairs: ("?" + "&".join(f"{k}={v}" for k, v in pairs)) if pairs else "")

structured_urls = st.builds(
    lambda s, h, p, path, q, f: f"{s}://{h}{p}{path}{q}{f}",
    schemes,
    hosts,
    ports,
    paths,
    queries,
    st.one_of(st.just(""), _hostile_text.map(lambda t: "#" + t)),
)
urls = st.one_of(structured_urls, _hostile_text, st.text(max_size=100))

# -- feeds and sitemaps ------------------------------------------------------------------

_xml_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
    urls,
    st.sampled_from(
        [
            "Mon, 01 Jan 2024 10:00:00 +0000",
            "2024-02-30T25:61:00Z",
            "0000-00-00",
            "9999-12-31T23:59:59+14:00",
            "Tue, 99 Foo 20240 00:00:00 GMT",
            "1e308",
            "&amp;&lt;&#0;&#x110000;&#xD800;",
            "<![CDATA[http://example.com/x]]>",
            "&undefined;",
        ]
    ),
)


def _element(name: str, text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return text.map(lambda t: f"<{name}>{t}</{name}>")


_rss_item = st.lists(
    st.one_of(
        _element("link", _xml_text),
        _element("guid", _xml_text),
        _element("pubDate", _xml_text),
        _element("title", _xml_text),
        _xml_text.map(lambda t: f'<atom:link href="{t}"/>'),
    ),
    max_size=4,
).map(lambda parts: "<item>" + "".join(parts) + "</item>")

_atom_entry = st.lists(
    st.one_of(
        st.tuples(
            _xml_text,
            st.sampled_from(["alternate", "self", "ALTERNATE", ""]),
            st.sampled_from(["text/html", "application/pdf", ""]),
        ).map(lambda t: f'<link href="{t[0]}" rel="{t[1]}" type="{t[2]}"/>'),
        _element("updated", _xml_text),
        _element("published", _xml_text),
    ),
    max_size=4,
).map(lambda parts: "<entry>" + "".join(parts) + "</entry>")

_sitemap_url = st.lists(
    st.one_of(
        _element("loc", _xml_text),
        _element("lastmod", _xml_text),
        _xml_text.map(
            lambda t: f"<news:news><news:publication_date>{t}</news:publication_date></news:news>"
        ),
    ),
    max_size=3,
).map(lambda parts: "<url>" + "".join(parts) + "</url>")

_PROLOGS = [
    "",
    '<?xml version="1.0" encoding="utf-8"?>',
    '<?xml version="1.0" encoding="latin-1"?>',
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    "\ufeff",
]

_documents = st.one_of(
    st.lists(_rss_item, max_size=5).map(
        lambda items: (
            '<rss xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
            + "".join(items)
            + "</channel></rss>"
        )
    ),
    st.lists(_rss_item, max_size=5).map(
        lambda items: (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            + "".join(items)
            + "</rdf:RDF>"
        )
    ),
    st.lists(_atom_entry, max_size=5).map(
        lambda entries: '<feed xmlns="http://www.w3.org/2005/Atom">' + "".join(entries) + "</feed>"
    ),
    st.lists(_sitemap_url, max_size=5).map(
        lambda us: (
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(us)
            + "</urlset>"
        )
    ),
    st.lists(_element("sitemap", _element("loc", _xml_text)), max_size=5).map(
        lambda s: "<sitemapindex>" + "".join(s) + "</sitemapindex>"
    ),
    st.lists(urls, max_size=5).map("\n".join),
)


def _mangle(data: bytes, cut: int, junk: bytes) -> bytes:
    return data[: cut % (len(data) + 1)] + junk


feed_bodies = st.one_of(
    st.builds(
        lambda prolog, doc: (prolog + doc).encode("utf-8", "surrogatepass"),
        st.sampled_from(_PROLOGS),
        _documents,
    ),
    st.builds(
        lambda prolog, doc, cut, junk: _mangle(
            (prolog + doc).encode("utf-8", "surrogatepass"), cut, junk
        ),
        st.sampled_from(_PROLOGS),
        _documents,
        st.integers(0, 10_000),
        st.binary(max_size=20),
    ),
    _documents.map(lambda doc: gzip.compress(doc.encode("utf-8", "surrogatepass"))),
    st.binary(max_size=300).map(lambda b: b"\x1f\x8b" + b),
    st.binary(max_size=300),
)
seed_kinds = st.sampled_from(["feed", "sitemap", "page"])

# -- HTML ----------------------------------------------------------------------------------

_TAGS = [
    "p",
    "div",
    "article",
    "h1",
    "a",
    "i",
    "b",
    "span",
    "script",
    "style",
    "table",
    "td",
    "li",
    "br",
    "main",
    "header",
    "footer",
    "nav",
    "time",
    "meta",
    "noscript",
    "svg",
    "template",
    "iframe",
]


def _json_ld(value: Any) -> str:
    return '<script type="application/ld+json">' + json.dumps(value) + "</script>"


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | _xml_text,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "@type",
                    "headline",
                    "author",
                    "name",
                    "datePublished",
                    "dateModified",
                    "@graph",
                    "articleBody",
                    "url",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=12,
)

_fragments: st.SearchStrategy[str] = st.recursive(
    _xml_text | st.sampled_from(["&#8;", "&#x1b;", "&nbsp;", "\x00", "\r\n", "<!--", "]]>", "<"]),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(_TAGS), st.lists(inner, max_size=4)).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"
        ),
        st.tuples(
            st.sampled_from(
                ["name", "property", "itemprop", "content", "datetime", "rel", "href", "class"]
            ),
            _xml_text,
            st.lists(inner, max_size=3),
        ).map(lambda t: f'<span {t[0]}="{t[1]}">{"".join(t[2])}</span>'),
        _json_values.map(_json_ld),
    ),
    max_leaves=25,
)

html_pages = st.one_of(
    st.builds(
        lambda head, body: f"<html><head>{head}</head><body>{body}</body></html>",
        _fragments,
        _fragments,
    ),
    _fragments,
    st.text(max_size=500),
)
html_bodies: st.SearchStrategy[bytes | str] = st.one_of(
    html_pages,
    html_pages.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.builds(
        lambda s, enc: s.encode(enc, "replace"),
        html_pages,
        st.sampled_from(["latin-1", "utf-16", "cp1252", "shift_jis"]),
    ),
    st.binary(max_size=400),
)
