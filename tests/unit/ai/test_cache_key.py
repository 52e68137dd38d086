from ai.review import review_cache_key


def test_comments_and_whitespace_do_not_change_the_key():
    a = "def f(x):\n    # add one\n    return x+1\n"
    b = "def f( x ):   # note\n\n    return x + 1\n"
    assert review_cache_key("p1", "python3.10", a) == review_cache_key("p1", "python3.10", b)


def test_python_indentation_still_matters():
    a = "if a:\n    b()\nc()\n"
    b = "if a:\n    b()\n    c()\n"
    assert review_cache_key("p1", "python3.10", a) != review_cache_key("p1", "python3.10", b)


def test_c_like_comments_are_stripped_but_strings_kept():
    key = review_cache_key
    assert key("p", "cpp17", "int x = 1; // one\n/* block */") == key("p", "cpp17", "int   x=1;")
    assert key("p", "cpp17", 's = "a b";') != key("p", "cpp17", 's = "a  b";')


def test_problem_and_language_are_part_of_the_key():
    code = "print(1)\n"
    keys = {
        review_cache_key("p1", "python3.10", code),
        review_cache_key("p2", "python3.10", code),
        review_cache_key("p1", "javascript", code),
    }
    assert len(keys) == 3
    assert all(len(k) == 64 for k in keys)


def test_unparsable_python_still_gets_a_stable_key():
    a = "def f(:\n  # c\n  pass\n"
    assert review_cache_key("p", "python3.10", a) == review_cache_key("p", "python3.10", a)
