"""The cleaned body of one article and its sentences, found once and read by both the
brief summary (summarize.py) and the claims (claims.py) of the same document."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.text.cleaning import clean_article
from bot.services.text.sentences import Sentence, split_sentences


@dataclass(frozen=True)
class ArticleBody:
    title: str
    raw: str  # the text it was cleaned from
    text: str  # clean_article(title, raw)
    sentences: list[Sentence]  # split_sentences(text): read-only, shared

    def matches(self, title: str, raw: str) -> bool:
        """Was this body cleaned from exactly this title and text?"""
        return self.title == title and (self.raw is raw or self.raw == raw)


def article_body(title: str, text: str) -> ArticleBody:
    body = clean_article(title, text)
    return ArticleBody(title, text, body, split_sentences(body))


def body_of(title: str, text: str, body: ArticleBody | None) -> ArticleBody:
    """`body` when it was cleaned from this title and text, else a fresh one."""
    if body is not None and body.matches(title, text):
        return body
    return article_body(title, text)
