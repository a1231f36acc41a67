"""The one error type of the package: a bad key, payload or option, said in one line."""


class WatermarkConfigError(ValueError):
    """A watermark key, payload or option is invalid.

    The message is one line: what was wrong and what to do, in the style of the Swift
    target's `InvalidInput` (for example "the watermark key must be 64 hex digits ...").
    """
