import Watermark

/// The watermark's sampler makes the final draw of ``Sampler`` when a scheme is configured.
extension WatermarkSampler: TokenChooser {}
