"""Template tags of the question pages."""

from __future__ import annotations

from django import template
from django.template import Context, Node, NodeList
from django.template.base import Parser, Token
from django.utils.safestring import SafeString

from consult.questions.fragments import render_answer_card, render_thread_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def answer_card(context: Context) -> SafeString:
    """``questions/_answer.html`` for the loop's ``answer``, from the answer-card cache (fragments.py)."""
    return render_answer_card(context)


class ThreadFragmentNode(Node):
    def __init__(self, name: str, nodelist: NodeList) -> None:
        self.name = name
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        return render_thread_fragment(context, self.name, self.nodelist)


@register.tag
def thread_fragment(parser: Parser, token: Token) -> ThreadFragmentNode:
    """``{% thread_fragment "question" %}...{% endthread_fragment %}``: a part of the thread page that shows
    only the thread's cached rows, cached under the thread's version (fragments.py)."""
    bits = token.split_contents()
    if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise template.TemplateSyntaxError("usage: {% thread_fragment \"name\" %}...{% endthread_fragment %}")
    nodelist = parser.parse(("endthread_fragment",))
    parser.delete_first_token()
    return ThreadFragmentNode(bits[1][1:-1], nodelist)
