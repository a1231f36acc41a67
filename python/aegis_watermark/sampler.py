"""One watermarked sampling step, as Swift's `WatermarkSampler.sample(…, minP:)` takes it.

Given the same float32 logits, context, sampling settings and uniform draws, `choose`
returns the token the Swift sampler returns: the same order of operations (bias, min-p,
top-k, temperature, top-p), the same float32/float64 arithmetic, the same candidate
orders, the same paths (explicit draw below 4,096 candidates, rejection above, the
bias-first truncation's fallback) and the same consumption of the uniforms. The
cross-language vectors (python/tests/vectors) hold both sides to it.

Only the tokens that can matter are hashed (the PRF is the costly part in numpy): the
tokens that can survive truncation, or, without truncation, rejection sampling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np

from .config import WatermarkConfig
from .fastmath import F32, block_sums, fast_exp, first_below_zero, logf, sequential_sum
from .prf import WatermarkPRF, unit_interval

#: Tokens more than this many nats (logit/T) below the best are outside the support.
SUPPORT_CUTOFF = F32(32)
#: The most candidates drawn from explicitly (KGW), and the bias-first truncation's limit.
EXPLICIT_LIMIT = 4096
_HISTOGRAM_BINS = 2048

Uniform = Callable[[], float]


@dataclass(frozen=True)
class SamplingSettings:
    """The request's sampling settings: temperature, top-k (0 = off), top-p (1 = off), min-p (0 = off)."""

    temperature: float = 1.0
    top_k: int = 0
    top_p: float = 1.0
    min_p: float = 0.0


class SwiftUniforms:
    """Uniform draws made from given 64-bit words as Swift's `Double.random(in: 0..<1)` makes them.

    Swift's `Double.random(in: 0..<1, using:)` takes one `next()` word and returns its low
    53 bits times 2⁻⁵³; the vectors record the words, so both sides consume the same randomness.
    """

    def __init__(self, words: Sequence[int]) -> None:
        self._words = list(words)
        self.used = 0

    def __call__(self) -> float:
        word = self._words[self.used % len(self._words)]
        self.used += 1
        return (word & ((1 << 53) - 1)) * 2.0 ** -53


class _Distribution:
    """`StepDistribution`: dense (a weight per token id) or sparse (kept tokens by decreasing logit)."""

    __slots__ = ("dense", "tokens", "weights", "total", "blocks", "vocabulary")

    def __init__(self) -> None:
        self.dense = True
        self.tokens: np.ndarray = np.empty(0, dtype=np.int64)   # sparse: token ids in order
        self.weights: np.ndarray = np.empty(0)                  # dense: float32 per id; sparse: float64
        self.total = 0.0
        self.blocks: np.ndarray = np.empty(0)
        self.vocabulary = 0

    @property
    def count(self) -> int:
        return self.vocabulary if self.dense else self.tokens.shape[0]

    def entries(self) -> tuple[np.ndarray, np.ndarray]:
        """(token ids, float64 weights) in the order the Swift loops visit them."""
        if self.dense:
            return np.arange(self.vocabulary, dtype=np.int64), self.weights.astype(np.float64)
        return self.tokens, self.weights

    def draw(self, u: float) -> int:
        """`StepDistribution.draw`: inverse CDF in the same order and arithmetic."""
        target = u * self.total
        if not self.dense:
            j = first_below_zero(target, self.weights)
            return int(self.tokens[j if j >= 0 else max(self.tokens.shape[0] - 1, 0)])
        blocks = self.blocks.shape[0]
        block = 0
        if blocks > 1:
            # while block < blocks - 1 && target >= sums[block] { target -= sums[block]; block += 1 }
            running = np.subtract.accumulate(np.concatenate(([target], self.blocks[:blocks - 1])))
            stops = np.flatnonzero(running[:-1] < self.blocks[:blocks - 1])
            block = int(stops[0]) if stops.shape[0] else blocks - 1
            target = float(running[block])
        start = block * 64
        end = min(start + 64, self.vocabulary)
        weights = self.weights[start:end]
        positive = np.flatnonzero(weights > 0)
        if positive.shape[0] == 0:
            return start
        j = first_below_zero(target, weights[positive])
        return start + int(positive[j if j >= 0 else positive.shape[0] - 1])


def _descending(tokens: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """The order of `CandidateKey`: decreasing logit, ties by increasing token id."""
    return np.lexsort((tokens, -logits))


def _build(logits: np.ndarray, maximum: np.float32, temperature: np.float32, top_k: int, top_p: np.float32,
           support_nats: np.float32 = SUPPORT_CUTOFF) -> _Distribution:
    """`StepDistribution.build`: temperature, then top-k (heap selection), then top-p."""
    distribution = _Distribution()
    vocabulary = logits.shape[0]
    distribution.vocabulary = vocabulary
    inverse = F32(1) / temperature
    if 0 < top_k < vocabulary:
        if top_k * 8 < vocabulary:
            part = np.argpartition(-logits, top_k - 1)[:top_k]
            # argpartition may cut a tie at the k-th logit anywhere; the heap keeps the lowest ids.
            kth = logits[part].min()
            ties = np.flatnonzero(logits == kth)
            part = np.concatenate((part[logits[part] > kth], ties[:top_k - int((logits[part] > kth).sum())]))
        else:
            part = np.arange(vocabulary, dtype=np.int64)
        order = _descending(part, logits[part])[:top_k]
        tokens = part[order].astype(np.int64)
        distribution.dense = False
        distribution.tokens = tokens
        distribution.weights = np.exp(((logits[tokens] - maximum) * inverse).astype(np.float64))
        distribution.total = sequential_sum(distribution.weights)
        if top_p < 1:
            _cut_nucleus(distribution, float(max(top_p, F32(0))) * distribution.total)
        return distribution
    x = (logits - maximum) * inverse
    weights = fast_exp(x)
    weights[x < -support_nats] = F32(0)
    distribution.weights = weights
    distribution.blocks = block_sums(weights)
    distribution.total = sequential_sum(distribution.blocks)
    if top_p < 1:
        _build_nucleus(distribution, logits, maximum, inverse, top_p)
    return distribution


def _build_nucleus(distribution: _Distribution, logits: np.ndarray, maximum: np.float32, inverse: np.float32,
                   top_p: np.float32) -> None:
    """Top-p on dense weights through the 2,048-bin histogram, as `buildNucleus`."""
    weights = distribution.weights
    bins_per_nat = F32(_HISTOGRAM_BINS) / SUPPORT_CUTOFF
    support = np.flatnonzero(weights > 0)
    bins = np.minimum((((maximum - logits[support]) * inverse) * bins_per_nat).astype(np.int64), _HISTOGRAM_BINS - 1)
    histogram = np.bincount(bins, weights=weights[support].astype(np.float64), minlength=_HISTOGRAM_BINS)
    target = float(max(top_p, F32(0))) * distribution.total
    cumulative = np.cumsum(histogram)
    reached = np.flatnonzero(cumulative >= target)
    boundary = int(reached[0]) if reached.shape[0] else _HISTOGRAM_BINS - 1
    floor = maximum - F32(boundary + 1) / bins_per_nat / inverse
    tokens = np.flatnonzero(logits >= floor)
    tokens = tokens[_descending(tokens, logits[tokens])]
    distribution.dense = False
    distribution.tokens = tokens.astype(np.int64)
    distribution.weights = weights[tokens].astype(np.float64)
    distribution.total = sequential_sum(distribution.weights)
    _cut_nucleus(distribution, target)


def _cut_nucleus(distribution: _Distribution, target: float) -> None:
    """Keeps the shortest prefix whose mass reaches `target` (`cutNucleus`)."""
    cumulative = np.cumsum(distribution.weights)
    if cumulative.shape[0] == 0:
        distribution.total = 0.0
        return
    reached = np.flatnonzero(cumulative >= target)
    if reached.shape[0]:
        keep = int(reached[0]) + 1
        distribution.tokens = distribution.tokens[:keep]
        distribution.weights = distribution.weights[:keep]
    distribution.total = float(cumulative[distribution.tokens.shape[0] - 1])


class WatermarkSampler:
    """The Swift `WatermarkSampler` of one configuration: `choose` is one sampling step.

    Make one per configuration (key derivation runs here, once); it holds no per-stream
    state, so one instance serves every request with that configuration.
    """

    def __init__(self, config: WatermarkConfig) -> None:
        self.config = config
        self.prf = WatermarkPRF(config.key, config.scheme)
        self.green_threshold = config.green_threshold
        self.shift = config.payload_shift
        self.delta = F32(config.delta) if math.isfinite(config.delta) else F32(0)
        self.delta = F32(max(self.delta, F32(0)))
        self.context_width = config.clamped_context_width
        self.layers = config.clamped_layers
        self.tournament_top_k = config.clamped_top_k
        self.scheme = config.scheme

    # MARK: PRF views

    def window(self, context: Sequence[int]) -> list[int]:
        """The last `context_width` tokens of the context (all of it when shorter)."""
        if self.context_width == 0:
            return []
        return [int(t) for t in context[-self.context_width:]]

    def green(self, window: Sequence[int], tokens: np.ndarray) -> np.ndarray:
        """KGW's green test for candidate token ids after `window` (a bool array)."""
        tokens = np.asarray(tokens, dtype=np.int64)
        if self.config.seeding == "selfhash":
            seeds = np.minimum(np.uint64(self.prf.minimum_anchor(window)), self.prf.anchors(tokens))
            values = np.fromiter((self.prf.value(int(s), int(t), 0, self.shift) for s, t in zip(seeds, tokens)),
                                 dtype=np.uint64, count=tokens.shape[0])
        else:
            values = self.prf.values(self.prf.seed(window), tokens, 0, self.shift)
        return values < np.uint64(self.green_threshold)

    def green_list(self, context: Sequence[int], vocabulary_size: int) -> np.ndarray:
        """Every green token id of a vocabulary in this context (the whole list: costly on large vocabularies)."""
        return np.flatnonzero(self.green(self.window(context), np.arange(vocabulary_size)))

    # MARK: The step

    def choose(self, logits: np.ndarray, context: Sequence[int], settings: SamplingSettings, uniform: Uniform) -> int:
        """The token Swift's `sample(logits:context:temperature:topK:topP:minP:using:)` returns.

        `logits` is one float32 logit per vocabulary entry (not modified); `context` the
        prompt and generated tokens before this step; `uniform()` returns the next draw in [0, 1).
        """
        logits = np.asarray(logits, dtype=np.float32)
        vocabulary = logits.shape[0]
        if vocabulary == 0:
            return 0
        temperature = F32(settings.temperature)
        temperature = temperature if math.isfinite(temperature) and temperature > F32(1e-4) else F32(1e-4)
        min_p = F32(settings.min_p)
        min_p = F32(min(min_p, F32(1))) if math.isfinite(min_p) and min_p > 0 else F32(0)
        top_p = F32(1) if math.isnan(settings.top_p) else F32(settings.top_p)
        top_k = int(settings.top_k)
        window = self.window(context)
        truncated = (0 < top_k < vocabulary) or top_p < 1 or min_p > 0
        if self.scheme == "kgw" and self.config.truncates_biased_distribution and truncated:
            token = self._kgw_biased_truncated(logits, temperature, top_k, top_p, min_p, window, uniform)
            if token is not None:
                return token
        if min_p > 0:
            threshold = F32(logits.max() + temperature * logf(min_p))
            logits = np.where(logits < threshold, F32(-np.inf), logits)
        return self._step(logits, window, temperature, top_k, top_p, uniform)

    def _step(self, logits: np.ndarray, window: list[int], temperature: np.float32, top_k: int, top_p: np.float32,
              uniform: Uniform) -> int:
        maximum = F32(logits.max())
        if not math.isfinite(maximum):
            return int(np.flatnonzero(logits == maximum)[0]) if np.any(logits == maximum) else 0
        if self.scheme == "kgw":
            return self._kgw_choice(logits, maximum, temperature, top_k, top_p, window, uniform)
        limit = max(top_k, 0)
        if self.scheme == "synthid":
            limit = min(limit, self.tournament_top_k) if limit > 0 else self.tournament_top_k
        distribution = _build(logits, maximum, temperature, limit, top_p)
        if not (distribution.total > 0 and math.isfinite(distribution.total)):
            return int(np.flatnonzero(logits == maximum)[0])
        if self.scheme == "gumbel":
            return self._gumbel_choice(distribution, window)
        return self._tournament(distribution, window, uniform)

    # MARK: KGW

    def _kgw_biased_truncated(self, logits: np.ndarray, temperature: np.float32, top_k: int, top_p: np.float32,
                              min_p: np.float32, window: list[int], uniform: Uniform) -> Optional[int]:
        """δ first, then min-p, top-k, temperature and top-p (`kgwBiasedTruncatedChoice`); None above 4,096 survivors."""
        maximum = F32(logits.max())
        if not math.isfinite(maximum):
            return None
        floor_cut = F32(-SUPPORT_CUTOFF * temperature)
        cutoff = F32(max(F32(temperature * logf(min_p)), floor_cut)) if min_p > 0 else floor_cut
        floor = F32(F32(maximum - self.delta) + cutoff)
        tokens = np.flatnonzero(logits >= floor)
        count = tokens.shape[0]
        if count == 0 or count > EXPLICIT_LIMIT:
            return None
        green = self.green(window, tokens)
        biased = logits[tokens] + np.where(green, self.delta, F32(0)).astype(np.float32)
        biased_maximum = F32(biased.max())
        order = _descending(tokens, biased)
        tokens, biased = tokens[order], biased[order]
        minimum_logit = F32(biased_maximum + cutoff)
        kept = min(count, top_k) if top_k > 0 else count
        below = np.flatnonzero(biased[:kept] < minimum_logit)
        if below.shape[0]:
            kept = int(below[0])
        weights = np.exp(((biased[:kept] - biased_maximum) / temperature).astype(np.float64))
        total = sequential_sum(weights)
        kept = max(kept, 1)
        if top_p < 1:
            mass = np.cumsum(weights[:kept])
            reached = np.flatnonzero(mass >= float(top_p) * total)
            if reached.shape[0]:
                kept = int(reached[0]) + 1
                total = float(mass[kept - 1])
        j = first_below_zero(uniform() * total, weights[:kept])
        return int(tokens[j if j >= 0 else kept - 1])

    def _kgw_choice(self, logits: np.ndarray, maximum: np.float32, temperature: np.float32, top_k: int,
                    top_p: np.float32, window: list[int], uniform: Uniform) -> int:
        """δ on the model's truncated distribution (`kgwChoice`): explicit below 4,096 candidates, else rejection."""
        bonus_nats = F32(self.delta / temperature)
        floor = F32(F32(maximum - self.delta) - F32(SUPPORT_CUTOFF * temperature))
        if (0 < top_k < logits.shape[0]) or top_p < 1:
            distribution = _build(logits, maximum, temperature, top_k, top_p)
            if distribution.count <= EXPLICIT_LIMIT:
                return self._explicit_green_draw(logits, distribution.tokens, temperature, window, uniform)
        else:
            tokens = np.flatnonzero(logits >= floor)
            if tokens.shape[0] <= EXPLICIT_LIMIT:
                return self._explicit_green_draw(logits, tokens, temperature, window, uniform)
            distribution = _build(logits, maximum, temperature, 0, F32(1), support_nats=F32(SUPPORT_CUTOFF + bonus_nats))
        keep_red = math.exp(-float(bonus_nats))
        seed = None if self.config.seeding == "selfhash" else self.prf.seed(window)
        for _ in range(64):
            token = distribution.draw(uniform())
            if self._is_green(window, seed, token) or uniform() < keep_red:
                return token
        tokens = np.flatnonzero(logits >= floor) if distribution.dense else distribution.tokens
        return self._explicit_green_draw(logits, tokens, temperature, window, uniform)

    def _is_green(self, window: list[int], seed: Optional[int], token: int) -> bool:
        if seed is None:
            seed = min(self.prf.minimum_anchor(window), self.prf.anchor(token))
        return self.prf.value(seed, token, 0, self.shift) < self.green_threshold

    def _explicit_green_draw(self, logits: np.ndarray, tokens: np.ndarray, temperature: np.float32,
                             window: list[int], uniform: Uniform) -> int:
        """Draws from e^((logit + δ·green − best)/T) over `tokens` in the given order (`explicitGreenDraw`)."""
        green = self.green(window, tokens)
        biased = logits[tokens].astype(np.float64) + np.where(green, float(self.delta), 0.0)
        best = biased.max() if biased.shape[0] else -math.inf
        weights = np.exp((biased - best) / float(temperature))
        total = sequential_sum(weights)
        j = first_below_zero(uniform() * total, weights)
        return int(tokens[j if j >= 0 else max(tokens.shape[0] - 1, 0)])

    # MARK: Gumbel and SynthID

    def _gumbel_choice(self, distribution: _Distribution, window: list[int]) -> int:
        """Aaronson's rule: the kept token minimising −log(r)/p (maximising r^(1/p))."""
        tokens, weights = distribution.entries()
        positive = weights > 0
        tokens, weights = tokens[positive], weights[positive]
        r = unit_interval(self.prf.values(self.prf.seed(window), tokens, 0, self.shift))
        return int(tokens[int(np.argmin(-np.log(r) / weights))])

    def _tournament(self, distribution: _Distribution, window: list[int], uniform: Uniform) -> int:
        """SynthID's two-player tournament in closed form: p ← p·(1 + g − E_p[g]) per layer, then a draw."""
        seed = self.prf.seed(window)
        tokens, weights = distribution.entries()
        weights = weights / distribution.total
        # Every layer's g-values in one vectorised hash (layers × kept tokens), then the layers in order.
        layered = np.broadcast_to(tokens, (self.layers, tokens.shape[0])).astype(np.uint64)
        layered = (layered + np.uint64(self.shift)) & np.uint64(0xFFFFFFFF)
        layered |= (np.arange(self.layers, dtype=np.uint64) << np.uint64(32))[:, None]
        g_values = (self.prf.value_key.hash_thirteen_many(seed, layered) >> np.uint64(63)).astype(np.float64)
        for g in g_values:
            expected = sequential_sum(weights * g)
            weights = weights * ((1.0 + g) - expected)
            weights = weights / sequential_sum(weights)
        j = first_below_zero(uniform(), weights)
        return int(tokens[j if j >= 0 else tokens.shape[0] - 1])

    def synthid_g_values(self, context: Sequence[int], tokens: np.ndarray) -> np.ndarray:
        """The g-values (layers × tokens, 0/1) of candidate tokens after `context`."""
        seed = self.prf.seed(self.window(context))
        return np.stack([(self.prf.values(seed, np.asarray(tokens), layer, self.shift) >> np.uint64(63))
                         for layer in range(self.layers)]).astype(np.uint8)

    def gumbel_r_values(self, context: Sequence[int], tokens: np.ndarray) -> np.ndarray:
        """Gumbel's uniform r of candidate tokens after `context`."""
        seed = self.prf.seed(self.window(context))
        return unit_interval(self.prf.values(seed, np.asarray(tokens), 0, self.shift))
