/// Built-in inference.
public enum InferenceModule {}
