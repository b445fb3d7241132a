"""The shared training loop: length batching, padding, warm-up/decay and the epoch loop."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch", reason="PyTorch (the train extra) is not installed")

from lagebild.training.trainloop import length_batches, run_epochs, sentence_batch, warmup_decay  # noqa: E402


def test_length_batches_sort_and_cap_padded_tokens() -> None:
    lengths = [5, 1, 3, 3, 9]
    batches = length_batches(lengths, max_tokens=6)
    assert sorted(i for b in batches for i in b) == [0, 1, 2, 3, 4]
    assert batches[0] == [1, 2]  # shortest first; a third sentence of 3 would pad to 9 tokens
    for batch in batches:
        assert len(batch) == 1 or len(batch) * max(lengths[i] for i in batch) <= 6
    assert length_batches([], 10) == []


def test_sentence_batch_pads_ids_words_and_masks() -> None:
    encoded = [([0, 7, 8, 2], [1, 2]), ([0, 5, 2], [1])]
    ids, mask, first, y, wmask = sentence_batch([0, 1], encoded, [[3, 4], [1]], pad=1)
    assert ids.tolist() == [[0, 7, 8, 2], [0, 5, 2, 1]]
    assert mask.tolist() == [[1, 1, 1, 1], [1, 1, 1, 0]]
    assert first.tolist() == [[1, 2], [1, 0]]
    assert y.tolist() == [[3, 4], [1, 0]]
    assert wmask.tolist() == [[1, 1], [1, 0]]


def test_warmup_then_linear_decay() -> None:
    optim = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = warmup_decay(optim, total_steps=1000, warmup=10)
    rates = []
    for _ in range(1000):
        rates.append(optim.param_groups[0]["lr"])
        optim.step()
        sched.step()
    assert rates[0] == pytest.approx(0.1) and rates[9] == pytest.approx(0.991)
    assert max(rates) == pytest.approx(rates[9]) and rates[-1] == pytest.approx(0.05)


def test_run_epochs_fits_a_small_problem_and_calls_back() -> None:
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    data = [(torch.tensor([[x, 1.0]]), torch.tensor([[3 * x - 1]])) for x in (-1.0, 0.0, 0.5, 1.0, 2.0)]
    optim = torch.optim.Adam(model.parameters(), lr=0.1)
    seen: list[int] = []
    logs: list[str] = []
    loss = torch.nn.functional.mse_loss
    run_epochs(
        data * 40,
        lambda xy: loss(model(xy[0]), xy[1]),
        optim,
        3,
        modules=[model],
        log=logs.append,
        after_epoch=seen.append,
    )
    assert seen == [0, 1, 2] and not model.training
    assert any(line.startswith("epoch 3/3: loss") for line in logs)
    w, b = model.weight.detach()[0], model.bias.detach()[0]
    assert float(w[0] + w[1] * 0 + 0) == pytest.approx(3.0, abs=0.2)
    assert float(w[1] + b) == pytest.approx(-1.0, abs=0.2)


def test_sentence_nll_with_one_hot_targets_equals_the_hard_loss() -> None:
    from lagebild.training.ner.frozen import CrfTagger
    from lagebild.training.trainloop import sentence_nll, soft_targets

    torch.manual_seed(0)
    table = torch.nn.Embedding(10, 384)

    def encoder(ids: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
        return [table(ids), table(ids) * 0.5]  # two "layers"

    head = CrfTagger(n_layers=2, lstm=8, dropout=0.0).eval()
    encoded = [([0, 7, 8, 2], [1, 2]), ([0, 5, 2], [1])]
    tags = [[3, 4], [1]]
    batch = sentence_batch([0, 1], encoded, tags, pad=1)
    hard = sentence_nll(encoder, head, batch)  # type: ignore[arg-type]
    soft = sentence_nll(encoder, head, batch, soft_targets([0, 1], tags, [None, None], 9))  # type: ignore[arg-type]
    assert torch.allclose(hard, soft, atol=1e-5)
