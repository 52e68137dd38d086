import pytest
from cryptography.exceptions import InvalidTag

from infra.crypto import AesGcmBox, BcryptHasher, token_hash


def test_sealed_text_opens_only_with_the_same_key_and_context():
    box = AesGcmBox("k1")
    sealed = box.seal("hidden expected output", context="p:t")
    assert "hidden" not in sealed and sealed.startswith("enc:v1:")
    assert box.open(sealed, context="p:t") == "hidden expected output"
    with pytest.raises(InvalidTag):
        box.open(sealed, context="p:other")
    with pytest.raises(InvalidTag):
        AesGcmBox("k2").open(sealed, context="p:t")


def test_sealing_twice_gives_different_ciphertexts():
    box = AesGcmBox("k")
    assert box.seal("x") != box.seal("x")


def test_bcrypt_defaults_to_cost_twelve():
    hasher = BcryptHasher()
    assert hasher.rounds == 12
    fast = BcryptHasher(4)
    hashed = fast.hash("Secret-pass-1")
    assert hashed.startswith("$2b$04$")
    assert fast.verify("Secret-pass-1", hashed) and not fast.verify("wrong", hashed)


def test_token_hash_is_stable_and_hides_the_token():
    assert token_hash("abc") == token_hash("abc") != "abc"
    assert len(token_hash("abc")) == 64
