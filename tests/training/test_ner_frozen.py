"""The CRF losses of the NER trainers: hard tags and soft (distillation) targets."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="PyTorch (the train extra) is not installed")

from lagebild.training.ner.frozen import crf_nll, crf_soft_nll  # noqa: E402
from lagebild.training.trainloop import soft_targets  # noqa: E402


def _crf(n: int = 4) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(3)
    return torch.randn(n, n, generator=gen), torch.randn(n, generator=gen), torch.randn(n, generator=gen)


def test_soft_loss_with_one_hot_targets_is_the_crf_nll() -> None:
    trans, start, end = _crf()
    em = torch.randn(2, 5, 4, generator=torch.Generator().manual_seed(4))
    tags = torch.tensor([[0, 1, 3, 2, 2], [1, 1, 0, 0, 0]])
    mask = torch.tensor([[1.0] * 5, [1.0, 1.0, 1.0, 0.0, 0.0]])
    target = soft_targets([0, 1], [[0, 1, 3, 2, 2], [1, 1, 0]], [None, None], 4)
    assert target[1, 3:].sum() == 0  # padding carries no target
    hard = crf_nll(trans, start, end, em, tags, mask)
    soft = crf_soft_nll(trans, start, end, em, target, mask)
    assert torch.allclose(hard, soft, atol=1e-5)


def test_soft_loss_gradient_is_student_minus_teacher_marginals() -> None:
    import numpy as np

    trans, start, end = _crf(3)
    em = torch.zeros(1, 1, 3, requires_grad=True)  # one word: the CRF marginals are a softmax
    teacher = np.array([[0.7, 0.2, 0.1]], dtype=np.float16)
    target = soft_targets([0], [[0]], [teacher], 3)
    crf_soft_nll(trans, start, end, em, target, torch.ones(1, 1)).backward()
    student = torch.softmax(start + end, 0)
    assert em.grad is not None
    assert torch.allclose(em.grad[0, 0], student - target[0, 0], atol=1e-4)


def test_stored_adapters_load_back_into_a_fresh_encoder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from lagebild.nlp.e5weights import load_e5_weights
    from lagebild.training.ner.finetune import TorchE5, load_adapters, lora_arrays

    weights = load_e5_weights()
    trained = TorchE5(weights, [11], rank=2, alpha=4.0)
    with torch.no_grad():
        for lin in trained.layers[11].values():
            if getattr(lin, "rank", 0):
                lin.b.normal_()
    np.savez(tmp_path / "m.npz", **lora_arrays(trained))
    fresh = TorchE5(weights, [11], rank=2, alpha=4.0)
    load_adapters(fresh, tmp_path / "m.npz")
    ids, mask = torch.tensor([[0, 1000, 2000, 2]]), torch.ones(1, 4)
    # float16 storage: equal to a few parts in a thousand
    assert torch.allclose(fresh(ids, mask)[-1], trained(ids, mask)[-1], atol=2e-2)
    assert not torch.allclose(
        TorchE5(weights, [11], 2, 4.0)(ids, mask)[-1], trained(ids, mask)[-1], atol=2e-2
    )


def test_adapters_from_a_model_without_them_are_a_config_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    from lagebild.errors import ConfigError
    from lagebild.nlp.e5weights import load_e5_weights
    from lagebild.training.ner.finetune import TorchE5, load_adapters

    np.savez(tmp_path / "head.npz", mix=np.ones(13))  # a frozen-feature head: no lora.* arrays
    with pytest.raises(ConfigError, match="not a LoRA model"):
        load_adapters(TorchE5(load_e5_weights(), [11], rank=2, alpha=4.0), tmp_path / "head.npz")
