from consult.core.markdown import render


def test_renders_commonmark_emphasis_lists_and_links():
    html = render("**Give it time.**\n\n- rest\n- retrain\n\n[eFACE](https://example.org/eface)")
    assert "<strong>Give it time.</strong>" in html
    assert "<li>rest</li>" in html
    assert '<a href="https://example.org/eface" rel="nofollow ugc noopener">eFACE</a>' in html


def test_script_tags_never_reach_the_page():
    html = render("Before <script>alert('x')</script> after")
    assert "<script" not in html
    assert "&lt;script&gt;" in html  # shown as text, not executed


def test_raw_html_is_not_interpreted():
    html = render('<img src=x onerror="alert(1)">\n\n<b onclick="steal()">bold</b> <iframe src="https://evil"></iframe>')
    assert "<img" not in html
    assert "<b " not in html
    assert "<iframe" not in html


def test_javascript_and_data_links_are_dropped():
    html = render("[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](mailto:a@b.example)")
    assert "javascript:" not in html.replace("[click](javascript:alert(1))", "")
    assert 'href="javascript' not in html
    assert 'href="data:' not in html
    assert 'href="mailto:a@b.example"' in html


def test_headings_are_demoted_below_the_page_headings():
    html = render("# Big\n\n## Smaller")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html


def test_empty_text_renders_nothing():
    assert render("") == ""
