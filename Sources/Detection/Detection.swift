/// Campaign detection over exchange logs (see docs/detection.md).
public enum Detection {}
