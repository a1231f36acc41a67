"""Aegis's watermark for Python inference engines, bit-exact with the Swift Watermark target.

- `WatermarkKey`, `WatermarkConfig`, `WatermarkPRF`, `WatermarkSampler`, `SamplingSettings`:
  the key schedule, PRF and sampling step (numpy only).
- `aegis_watermark.hf.AegisWatermarkLogitsProcessor`: the transformers processor.
- `aegis_watermark.vllm_processor.AegisWatermarkLogitsProcessor`: the vLLM V1 processor.
- `python -m aegis_watermark generate …`: generation from a GGUF through transformers.
"""

from .config import WatermarkConfig, parse_payload, parse_scheme, parse_seeding
from .errors import WatermarkConfigError
from .keys import WatermarkKey
from .payload import account_payload
from .prf import WatermarkPRF, unit_interval
from .sampler import SamplingSettings, SwiftUniforms, WatermarkSampler

__all__ = ["WatermarkConfig", "WatermarkConfigError", "WatermarkKey", "WatermarkPRF", "WatermarkSampler",
           "SamplingSettings", "SwiftUniforms", "account_payload", "parse_payload", "parse_scheme", "parse_seeding",
           "unit_interval"]
